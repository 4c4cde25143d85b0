using Engagements.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Usage;

public enum SignalKind
{
    MeetingAttendance,
    SupportTickets,
    StakeholderChange,
    CompetitorEvaluation,
    Nps,
}

public sealed class Signal
{
    public long Id { get; set; }

    // Optional sender id; when given it is an idempotency key (NULLs are distinct in unique indexes on both providers).
    public string? SignalId { get; set; }
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public SignalKind Kind { get; set; }

    // Attendance in percent, ticket count, NPS 0-10; none for stakeholder change or competitor evaluation.
    public double? Value { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class SignalConfiguration : IEntityTypeConfiguration<Signal>
{
    public void Configure(EntityTypeBuilder<Signal> signal)
    {
        signal.HasIndex(s => s.SignalId).IsUnique();
        signal.HasIndex(s => new { s.CustomerId, s.Kind, s.At });
        signal.Property(s => s.SignalId).HasMaxLength(128);
        signal.Property(s => s.Detail).HasMaxLength(2000);
    }
}

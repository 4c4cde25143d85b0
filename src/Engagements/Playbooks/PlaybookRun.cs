using Engagements.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Playbooks;

public enum PlaybookOutcome
{
    Completed,
    SkippedUnsubscribed,
    SkippedNoContact,
}

// One enrolment of a customer in a playbook. The unique (playbook, customer, enrolment key) makes the enrolment
// limit hold even when two instances run the job at once: "once" playbooks use one key per customer (or per
// engagement), "N times every D days" playbooks one key per day.
public sealed class PlaybookRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string PlaybookId { get; set; }
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public required string EnrolmentKey { get; set; }
    public DateTimeOffset RunAt { get; set; }
    public PlaybookOutcome Outcome { get; set; }
    public string? Detail { get; set; }
}

internal sealed class PlaybookRunConfiguration : IEntityTypeConfiguration<PlaybookRun>
{
    public void Configure(EntityTypeBuilder<PlaybookRun> run)
    {
        run.Property(r => r.PlaybookId).HasMaxLength(64);
        run.Property(r => r.EnrolmentKey).HasMaxLength(100);
        run.Property(r => r.Detail).HasMaxLength(500);
        run.HasOne(r => r.Customer).WithMany().HasForeignKey(r => r.CustomerId);
        run.HasIndex(r => new { r.PlaybookId, r.CustomerId, r.EnrolmentKey }).IsUnique();
        run.HasIndex(r => new { r.CustomerId, r.PlaybookId, r.RunAt });
    }
}

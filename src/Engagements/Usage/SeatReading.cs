using Engagements.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Usage;

public sealed class SeatReading
{
    public long Id { get; set; }
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public int ActiveSeats { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class SeatReadingConfiguration : IEntityTypeConfiguration<SeatReading>
{
    public void Configure(EntityTypeBuilder<SeatReading> reading)
    {
        // A re-sent reading for the same instant is the same reading.
        reading.HasIndex(r => new { r.CustomerId, r.At }).IsUnique();
    }
}

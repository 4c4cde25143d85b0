using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Customers;

public enum CommunicationMethod
{
    Email,
    Ticket,
}

// Seed 002 "Customer Access List": who at the customer creates accounts for one of its systems, and how to ask.
public sealed class AccessListEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CustomerId { get; set; }
    public Customer Customer { get; set; } = null!;
    public required string System { get; set; }
    public required string ContactTo { get; set; }
    public List<string> Cc { get; set; } = [];
    public CommunicationMethod Method { get; set; }
    public string? CustomSubject { get; set; }
    public string? OtherRequirements { get; set; }
    public int ExpectedDaysToCreate { get; set; } = 5;
}

internal sealed class AccessListEntryConfiguration : IEntityTypeConfiguration<AccessListEntry>
{
    public void Configure(EntityTypeBuilder<AccessListEntry> entry)
    {
        entry.HasIndex(e => new { e.CustomerId, e.System }).IsUnique();
        entry.Property(e => e.System).HasMaxLength(100);
        entry.Property(e => e.ContactTo).HasMaxLength(320);
        entry.Property(e => e.CustomSubject).HasMaxLength(300);
    }
}

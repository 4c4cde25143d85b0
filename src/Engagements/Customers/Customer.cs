using System.Text.Json.Serialization;
using Engagements.AccountAccess;
using Engagements.Health;
using Engagements.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Customers;

public enum CustomerSegment
{
    Strategic,
    Enterprise,
    [JsonStringEnumMemberName("Mid-Market")] MidMarket,
    [JsonStringEnumMemberName("SMB")] Smb,
    Scaled,
}

public enum LifecycleStage
{
    [JsonStringEnumMemberName("0. Prospect")] Prospect,
    [JsonStringEnumMemberName("1. Onboarding")] Onboarding,
    [JsonStringEnumMemberName("2. Adoption")] Adoption,
    [JsonStringEnumMemberName("3. Live")] Live,
    [JsonStringEnumMemberName("4. Renewal")] Renewal,
    Churned,
}

public sealed class Customer
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string CrmId { get; set; }
    public required string Name { get; set; }
    public CustomerSegment Segment { get; set; }
    public LifecycleStage Lifecycle { get; set; }
    public string? SupportLevel { get; set; }
    public int SeatsPurchased { get; set; }
    public string? CsmName { get; set; }
    public string? CsmEmail { get; set; }
    public string? CsmAadObjectId { get; set; }
    public string? ProductVersion { get; set; }

    // The customer's main contact, who receives the welcome email (seed 000) once an engineer is assigned.
    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<AccessListEntry> AccessList { get; set; } = [];
    public List<Opportunity> Opportunities { get; set; } = [];
    public List<HealthSnapshot> HealthSnapshots { get; set; } = [];
    public List<AccountRequest> AccountRequests { get; set; } = [];
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.HasIndex(c => c.CrmId).IsUnique();
        customer.HasIndex(c => c.Name);
        customer.Property(c => c.CrmId).HasMaxLength(64);
        customer.Property(c => c.Name).HasMaxLength(200);
        customer.Property(c => c.SupportLevel).HasMaxLength(64);
        customer.Property(c => c.CsmName).HasMaxLength(200);
        customer.Property(c => c.CsmEmail).HasMaxLength(320);
        customer.Property(c => c.CsmAadObjectId).HasMaxLength(64);
        customer.Property(c => c.ProductVersion).HasMaxLength(32);
        customer.Property(c => c.ContactName).HasMaxLength(200);
        customer.Property(c => c.ContactEmail).HasMaxLength(320);
        customer.HasMany(c => c.AccessList).WithOne(e => e.Customer).HasForeignKey(e => e.CustomerId);
    }
}

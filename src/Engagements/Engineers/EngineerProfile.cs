using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Engineers;

// Seed 002 "Engineer Profile". Current load is not stored: it is the count of the engineer's active
// EngagementEngineer rows, so it can never drift from the assignments themselves.
public sealed class EngineerProfile
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Email { get; set; }
    public string? Phone { get; set; }
    public string? TeamsUserId { get; set; }
    public required string AadObjectId { get; set; }

    // IANA id (e.g. "Europe/Berlin"), shown next to suggestions and used for the standup digest.
    public string TimeZone { get; set; } = "UTC";
    public DateOnly StartDate { get; set; }
    public List<string> Skills { get; set; } = [];
    public bool IsActive { get; set; } = true;

    public List<EngagementEngineer> Engagements { get; set; } = [];
}

internal sealed class EngineerProfileConfiguration : IEntityTypeConfiguration<EngineerProfile>
{
    public void Configure(EntityTypeBuilder<EngineerProfile> engineer)
    {
        engineer.HasIndex(e => e.AadObjectId).IsUnique();
        engineer.HasIndex(e => e.Email);
        engineer.Property(e => e.Name).HasMaxLength(200);
        engineer.Property(e => e.Email).HasMaxLength(320);
        engineer.Property(e => e.Phone).HasMaxLength(40);
        engineer.Property(e => e.TeamsUserId).HasMaxLength(200);
        engineer.Property(e => e.AadObjectId).HasMaxLength(64);
        engineer.Property(e => e.TimeZone).HasMaxLength(64);
    }
}

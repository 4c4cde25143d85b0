using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Roles;

public enum Role
{
    Manager,
    TeamLead,
    Engineer,
    Csm,
    PresalesEngineer,
    Admin,
}

// Roles are held per Entra object id; a user may hold several (one row each).
public sealed class RoleAssignment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string AadObjectId { get; set; }
    public Role Role { get; set; }
    public string? DisplayName { get; set; }
    public string? GrantedByAadObjectId { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
}

internal sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> assignment)
    {
        assignment.HasIndex(a => new { a.AadObjectId, a.Role }).IsUnique();
        assignment.HasIndex(a => a.Role);
        assignment.Property(a => a.AadObjectId).HasMaxLength(64);
        assignment.Property(a => a.DisplayName).HasMaxLength(200);
        assignment.Property(a => a.GrantedByAadObjectId).HasMaxLength(64);
    }
}

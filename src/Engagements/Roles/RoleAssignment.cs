using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Roles;

// Stored and accepted in configuration by member name; people read the Display name (DisplayText).
public enum Role
{
    Manager,
    [Display(Name = "Team lead")] TeamLead,
    Engineer,
    [Display(Name = "CSM")] Csm,
    [Display(Name = "Pre-sales engineer")] PresalesEngineer,
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

using Engagements.Onboarding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Delivery;

// Project kinds are plan template ids (templates/*.json), so a new template needs no code or migration.
public static class ProjectKinds
{
    public const string Onboarding90Day = "onboarding-90-day";
    public const string ProfessionalServices = "professional-services";
    public const string Workshop = "workshop";
}

public sealed class Project
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EngagementId { get; set; }
    public Engagement Engagement { get; set; } = null!;
    public required string Name { get; set; }
    public string Kind { get; set; } = ProjectKinds.Onboarding90Day;
    public string? SowReference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<Deliverable> Deliverables { get; set; } = [];
    public OnboardingPlan? Plan { get; set; }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> project)
    {
        project.Property(p => p.Name).HasMaxLength(200);
        project.Property(p => p.Kind).HasMaxLength(64);
        project.Property(p => p.SowReference).HasMaxLength(128);
        project.HasMany(p => p.Deliverables).WithOne(d => d.Project).HasForeignKey(d => d.ProjectId).IsRequired();
    }
}

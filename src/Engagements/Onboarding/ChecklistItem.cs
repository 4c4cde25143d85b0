using Engagements.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Onboarding;

// A plan's checklist item. The post-close checklist of seed 004 is not made of these: it exists from intake on, before
// any plan, and lives on the engagement (PostClose.PostCloseChecklist); its open steps block the pre-kickoff phase.
public sealed class ChecklistItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PhaseId { get; set; }
    public PlanPhase Phase { get; set; } = null!;
    public int Order { get; set; }
    public required string Title { get; set; }
    public string? Detail { get; set; }
    public Role OwnerRole { get; set; }
    public int DueDay { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public string? DoneByAadObjectId { get; set; }
    public string? DoneByName { get; set; }

    public bool IsDone => DoneAt is not null;
}

internal sealed class ChecklistItemConfiguration : IEntityTypeConfiguration<ChecklistItem>
{
    public void Configure(EntityTypeBuilder<ChecklistItem> item)
    {
        item.HasIndex(i => new { i.PhaseId, i.Order });
        item.Property(i => i.Title).HasMaxLength(300);
        item.Property(i => i.Detail).HasMaxLength(2000);
        item.Property(i => i.DoneByAadObjectId).HasMaxLength(64);
        item.Property(i => i.DoneByName).HasMaxLength(200);
        item.Ignore(i => i.IsDone);
    }
}

using Engagements.Data;
using Engagements.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.PostClose;

// Seed 004 "Upon close, the pre-sales CE performs the following steps". It belongs to the engagement, not to a
// project's onboarding plan: it exists from intake on (plans only start once an engineer is assigned), there is one
// per closed deal however many projects the SOW has, and it gates the kickoff of every plan of the engagement.
public sealed class PostCloseChecklist : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EngagementId { get; set; }
    public Engagement Engagement { get; set; } = null!;

    // Null when the opportunity named nobody, or named someone the bot cannot reach in Teams: then the card went to
    // the approvals channel and any holder of the PresalesEngineer role may tick it.
    public string? PresalesEngineerAadObjectId { get; set; }
    public string? PresalesEngineerName { get; set; }
    public string? PresalesEngineerEmail { get; set; }

    // Why the card did not go 1:1 to the named pre-sales engineer (shown on the card, so whoever got it knows why).
    public string? FallbackReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    // Every tick saves the checklist too, so two ticks at once serialise on this token and the card update that
    // renders the newest version wins (OutboxMessage.RendersVersion).
    public long Version { get; set; }

    public List<PostCloseItem> Items { get; set; } = [];

    public IEnumerable<PostCloseItem> OpenItems => Items.Where(i => i.State == PostCloseItemState.Open).OrderBy(i => i.Order);
}

internal sealed class PostCloseChecklistConfiguration : IEntityTypeConfiguration<PostCloseChecklist>
{
    public void Configure(EntityTypeBuilder<PostCloseChecklist> checklist)
    {
        checklist.Property(c => c.Version).IsConcurrencyToken();
        checklist.HasOne(c => c.Engagement).WithOne().HasForeignKey<PostCloseChecklist>(c => c.EngagementId);
        // One per engagement: a replayed intake cannot create (or send) a second one.
        checklist.HasIndex(c => c.EngagementId).IsUnique();
        checklist.Property(c => c.PresalesEngineerAadObjectId).HasMaxLength(64);
        checklist.Property(c => c.PresalesEngineerName).HasMaxLength(200);
        checklist.Property(c => c.PresalesEngineerEmail).HasMaxLength(320);
        checklist.Property(c => c.FallbackReason).HasMaxLength(1000);
        checklist.HasMany(c => c.Items).WithOne(i => i.Checklist).HasForeignKey(i => i.ChecklistId);
        checklist.Ignore(c => c.OpenItems);
    }
}

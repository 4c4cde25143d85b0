using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.PostClose;

public enum PostCloseItemState
{
    Open,
    Done,
    [JsonStringEnumMemberName("Not needed")] NotNeeded,
}

public sealed class PostCloseItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ChecklistId { get; set; }
    public PostCloseChecklist Checklist { get; set; } = null!;
    public int Order { get; set; }

    // Stable name of the step (PostCloseSteps), so rules and tests do not depend on the wording.
    public required string Key { get; set; }
    public required string Title { get; set; }
    public string? Detail { get; set; }

    // Seed 004 "if relevant": an optional step can be closed as not needed instead of done.
    public bool Optional { get; set; }
    public PostCloseItemState State { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedByAadObjectId { get; set; }
    public string? ClosedByName { get; set; }
}

internal sealed class PostCloseItemConfiguration : IEntityTypeConfiguration<PostCloseItem>
{
    public void Configure(EntityTypeBuilder<PostCloseItem> item)
    {
        item.HasIndex(i => new { i.ChecklistId, i.Key }).IsUnique();
        item.HasIndex(i => i.State);
        item.Property(i => i.Key).HasMaxLength(64);
        item.Property(i => i.Title).HasMaxLength(300);
        item.Property(i => i.Detail).HasMaxLength(1000);
        item.Property(i => i.Note).HasMaxLength(1000);
        item.Property(i => i.ClosedByAadObjectId).HasMaxLength(64);
        item.Property(i => i.ClosedByName).HasMaxLength(200);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Conversations;

// Inserting this row is how a turn claims an inbound activity: a duplicate delivery (same channel, conversation and
// activity id) hits the unique index and is dropped, so it is processed once.
public sealed class ProcessedActivity
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    public static string KeyFor(string channelId, string conversationId, string activityId) =>
        $"{channelId}|{conversationId}|{activityId}";
}

internal sealed class ProcessedActivityConfiguration : IEntityTypeConfiguration<ProcessedActivity>
{
    public void Configure(EntityTypeBuilder<ProcessedActivity> activity)
    {
        activity.HasIndex(a => a.Key).IsUnique();
        activity.HasIndex(a => a.ReceivedAt);
        activity.Property(a => a.Key).HasMaxLength(900);
    }
}

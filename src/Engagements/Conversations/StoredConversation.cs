using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Conversations;

// A conversation reference kept from install (and refreshed on every activity) so the bot can post proactively.
public sealed class StoredConversation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string ConversationId { get; set; }
    public required string ServiceUrl { get; set; }
    public string? TenantId { get; set; }
    public string ChannelId { get; set; } = "msteams";

    // Teams ids: the team and its channel for channel conversations.
    public string? TeamId { get; set; }
    public string? TeamsChannelId { get; set; }

    // The team's Microsoft 365 group id: what Microsoft Graph calls the team (reading a channel's messages back).
    public string? TeamAadGroupId { get; set; }

    // "personal", "groupChat" or "channel", as Teams sends it.
    public string? ConversationType { get; set; }
    public string? BotId { get; set; }

    // For personal chats: the user at the other end.
    public string? UserId { get; set; }
    public string? UserAadObjectId { get; set; }
    public string? UserName { get; set; }
    // Set once the welcome card went out; an install arrives as two events at once and the Playground re-sends them.
    public DateTimeOffset? WelcomedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class StoredConversationConfiguration : IEntityTypeConfiguration<StoredConversation>
{
    public void Configure(EntityTypeBuilder<StoredConversation> conversation)
    {
        conversation.HasIndex(c => c.ConversationId).IsUnique();
        conversation.HasIndex(c => c.UserAadObjectId);
        conversation.Property(c => c.ConversationId).HasMaxLength(400);
        conversation.Property(c => c.ServiceUrl).HasMaxLength(400);
        conversation.Property(c => c.TenantId).HasMaxLength(64);
        conversation.Property(c => c.ChannelId).HasMaxLength(64);
        conversation.Property(c => c.TeamId).HasMaxLength(400);
        conversation.Property(c => c.TeamsChannelId).HasMaxLength(400);
        conversation.Property(c => c.TeamAadGroupId).HasMaxLength(64);
        conversation.Property(c => c.ConversationType).HasMaxLength(32);
        conversation.Property(c => c.BotId).HasMaxLength(200);
        conversation.Property(c => c.UserId).HasMaxLength(400);
        conversation.Property(c => c.UserAadObjectId).HasMaxLength(64);
        conversation.Property(c => c.UserName).HasMaxLength(200);
    }
}

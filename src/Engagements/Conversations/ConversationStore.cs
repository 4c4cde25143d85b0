using Engagements.BotFramework.Schema;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Conversations;

/// <summary>
/// Keeps a reference to every conversation the bot is in (for proactive posts), refreshed on every activity because
/// Teams may move a conversation to another serviceUrl, and claims inbound activity ids so a redelivery runs once.
/// </summary>
public sealed class ConversationStore(EngagementsDb db, TimeProvider clock)
{
    /// <summary>A channel post arrives as `&lt;channel id&gt;;messageid=&lt;root&gt;`; the channel itself is the part before.</summary>
    public static string BaseConversationId(string conversationId)
    {
        var thread = conversationId.IndexOf(";messageid=", StringComparison.Ordinal);
        return thread < 0 ? conversationId : conversationId[..thread];
    }

    public async Task<StoredConversation?> RememberAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Conversation?.Id is not { Length: > 0 } conversationId || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return null;
        }

        var id = BaseConversationId(conversationId);
        var now = clock.GetUtcNow();
        var stored = await db.Conversations.SingleOrDefaultAsync(c => c.ConversationId == id, cancellationToken);
        if (stored is null)
        {
            // An install arrives as two events at once (installationUpdate and conversationUpdate), so two turns often
            // store the same new conversation together. The insert skips a row that is already there instead of
            // failing: a unique violation would put an EF Core error with a stack trace in the log for a normal case.
            var fresh = new StoredConversation { ConversationId = id, ServiceUrl = activity.ServiceUrl, CreatedAt = now, UpdatedAt = now };
            Refresh(fresh, activity);
            if (await db.InsertIfAbsentAsync(fresh, nameof(StoredConversation.ConversationId), cancellationToken))
            {
                return fresh;
            }

            // The other turn stored it first; refresh that row with what this activity says.
            stored = await db.Conversations.SingleAsync(c => c.ConversationId == id, cancellationToken);
        }

        Refresh(stored, activity);

        // Most turns change nothing; writing anyway would queue every turn behind SQLite's single writer.
        var entry = db.Entry(stored);
        entry.DetectChanges();
        if (entry.State == EntityState.Unchanged)
        {
            return stored;
        }

        stored.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return stored;
    }

    private static void Refresh(StoredConversation stored, Activity activity)
    {
        stored.ServiceUrl = activity.ServiceUrl!;
        stored.TenantId = activity.GetTenantId() ?? stored.TenantId;
        stored.ChannelId = activity.ChannelId ?? stored.ChannelId;
        stored.ConversationType = activity.Conversation!.ConversationType ?? stored.ConversationType;
        stored.TeamId = activity.ChannelData?.Team?.Id ?? stored.TeamId;
        stored.TeamsChannelId = activity.ChannelData?.Channel?.Id ?? stored.TeamsChannelId;
        stored.TeamAadGroupId = activity.ChannelData?.Team?.AadGroupId ?? stored.TeamAadGroupId;
        stored.BotId = activity.Recipient?.Id ?? stored.BotId;
        if (activity.Conversation.ConversationType == "personal" && activity.From?.Id is { } userId && userId != activity.Recipient?.Id)
        {
            stored.UserId = userId;
            stored.UserAadObjectId = activity.From.AadObjectId ?? stored.UserAadObjectId;
            stored.UserName = activity.From.Name ?? stored.UserName;
        }
    }

    /// <summary>True the first time an activity id is seen in its conversation; false for a redelivery.</summary>
    public async Task<bool> ClaimAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(activity.Id))
        {
            return true;
        }

        var claim = new ProcessedActivity
        {
            Key = ProcessedActivity.KeyFor(activity.ChannelId ?? "", activity.Conversation?.Id ?? "", activity.Id),
            ReceivedAt = clock.GetUtcNow(),
        };
        db.ProcessedActivities.Add(claim);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(claim).State = EntityState.Detached;
            return false;
        }
    }

    /// <summary>Marks the conversation welcomed; true only for the one caller that did it (installs arrive as two events at once).</summary>
    public async Task<bool> MarkWelcomedAsync(string conversationId, CancellationToken cancellationToken)
    {
        var id = BaseConversationId(conversationId);
        var now = clock.GetUtcNow();
        return await db.Conversations
            .Where(c => c.ConversationId == id && c.WelcomedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WelcomedAt, now), cancellationToken) == 1;
    }

    public Task ForgetWelcomeAsync(string conversationId, CancellationToken cancellationToken)
    {
        var id = BaseConversationId(conversationId);
        return db.Conversations
            .Where(c => c.ConversationId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WelcomedAt, (DateTimeOffset?)null), cancellationToken);
    }
}

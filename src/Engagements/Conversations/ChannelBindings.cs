using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Conversations;

/// <summary>`use this channel for {purpose}` (SPEC §3.7, Admin only): one conversation per purpose; re-binding moves it.</summary>
public sealed class ChannelBindings(EngagementsDb db, AuditLog audit, CardCatalog cards, TimeProvider clock)
{
    public async Task<JsonObject> BindAsync(TurnContext turn, string? purposeText, CancellationToken cancellationToken)
    {
        if (!turn.Caller.Has(Role.Admin))
        {
            return Message("Not allowed", "Only an admin can choose what a channel is used for. Nothing was changed.", "attention");
        }
        if (!StoredText.TryParse<ChannelPurpose>(purposeText, out var purpose))
        {
            return Message("Unknown purpose", $"Use one of: {string.Join(", ", StoredText.AllOf<ChannelPurpose>())}.", "warning");
        }
        if (turn.Activity.Conversation?.ConversationType is not ("channel" or "groupChat"))
        {
            return Message("Run this in the channel", $"Mention me with `use this channel for {StoredText.Of(purpose)}` in the channel (or group chat) that should receive these posts.", "warning");
        }

        // A channel post arrives in a thread ("…;messageid=…"); the binding is the channel itself, so posts start new threads.
        var conversationId = turn.Activity.ChannelData?.Channel?.Id is { Length: > 0 } channelId
            ? channelId
            : ConversationStore.BaseConversationId(turn.ConversationId);
        var binding = await db.ChannelBindings.SingleOrDefaultAsync(b => b.Purpose == purpose, cancellationToken);
        var purposeName = StoredText.Of(purpose);
        var channelName = turn.Activity.ChannelData?.Channel?.Name ?? turn.Activity.Conversation?.Name ?? "this channel";
        if (binding?.ConversationId == conversationId)
        {
            return Message("Already set", $"This channel already receives {purposeName} posts.", null);
        }

        var before = binding is null ? null : new { purpose = purposeName, conversationId = binding.ConversationId };
        if (binding is null)
        {
            binding = new ChannelBinding { Purpose = purpose, ConversationId = conversationId };
            db.ChannelBindings.Add(binding);
        }
        binding.ConversationId = conversationId;
        binding.BoundByAadObjectId = turn.Caller.AadObjectId;
        binding.BoundAt = clock.GetUtcNow();
        audit.Record(new AuditActor(turn.Caller.AadObjectId, turn.Caller.Name), AuditSource.Command, "channel-bound",
            nameof(ChannelBinding), purposeName, before, new { purpose = purposeName, conversationId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Message("Try again", "Another admin changed this binding at the same moment; nothing was changed here.", "warning");
        }

        return Message($"This channel now receives {purposeName} posts", Explain(purpose), "good",
            new[]
            {
                new { title = "Purpose", value = purposeName },
                new { title = "Channel", value = channelName },
                new { title = "Set by", value = turn.Caller.Name },
            });
    }

    private static string Explain(ChannelPurpose purpose) => purpose switch
    {
        ChannelPurpose.Approvals => "Assign engineer cards for new engagements are posted here for managers to approve, with reminders when they wait.",
        ChannelPurpose.AlertsCustomerUsage => "Usage alerts land here: first use of a feature, low or expansion-level seat utilization.",
        ChannelPurpose.AlertsHealth => "Health alerts land here: band drops and early-warning triggers.",
        ChannelPurpose.Escalations => "Escalations land here: approvals nobody decided, overdue account requests.",
        _ => "The daily standup digest is posted here.",
    };

    private JsonObject Message(string title, string text, string? style, object? facts = null) =>
        cards.Render("message", new { title, text, style, facts });
}

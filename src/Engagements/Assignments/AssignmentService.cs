using System.Text.Json;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.BotFramework.Schema;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Engineers;
using Engagements.Intake;
using Engagements.Outbox;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Assignments;

public sealed record AssignmentOpened(AssignmentRequest Request, bool CardPosted, System.Text.Json.Nodes.JsonObject Card);

/// <summary>The Assign engineer approval (SPEC §3.2): opening it with ranked suggestions, and deciding it once.</summary>
public sealed partial class AssignmentService(
    EngagementsDb db,
    EngineerRanking ranking,
    OutboxWriter outbox,
    AuditLog audit,
    CardCatalog cards,
    TimeProvider clock,
    IEnumerable<IAssignmentApprovedHandler> approvedHandlers,
    ILogger<AssignmentService> logger)
{
    public const string ApproveVerb = "assignEngineer";
    public const string RejectVerb = "rejectAssignment";

    public static string CardKey(Guid requestId) => $"assignment:{requestId}:card";

    /// <summary>
    /// Adds the request and its card to the caller's unit of work; the caller saves. <paramref name="previous"/> is the
    /// rejected request this one re-opens (already saved as rejected): its engineer is not suggested first again.
    /// </summary>
    public async Task<AssignmentOpened> OpenAsync(
        Engagement engagement, Customer customer, Opportunity opportunity, AuditActor actor, AuditSource source, CancellationToken cancellationToken,
        AssignmentRequest? previous = null)
    {
        var now = clock.GetUtcNow();
        var history = await HistoryAsync(engagement.Id, previous?.Id, cancellationToken);
        var suggestions = await ranking.SuggestAsync(history.RejectedEngineerIds, cancellationToken);
        var request = new AssignmentRequest
        {
            EngagementId = engagement.Id,
            Engagement = engagement,
            Status = AssignmentStatus.Pending,
            SuggestedEngineerIds = [.. suggestions.Select(s => s.Id)],
            RequestedAt = now,
            PreviousRequestId = previous?.Id,
        };
        db.AssignmentRequests.Add(request);

        var card = AssignmentCard.Render(cards, request, customer, opportunity, engagement, engagement.Projects, suggestions, history, now);
        var post = await outbox.PostToChannelAsync(
            ChannelPurpose.Approvals, Messages.Card(card), CardKey(request.Id), Related.To<AssignmentRequest>(request.Id), cancellationToken);
        request.ConversationId = post?.ConversationId;
        if (post is null)
        {
            LogNoApprovalsChannel(request.Id);
        }

        audit.Record(actor, source, "assignment-requested", nameof(AssignmentRequest), request.Id.ToString(), after: new
        {
            engagementId = engagement.Id,
            status = StoredText.Of(request.Status),
            suggestedEngineers = suggestions.Select(s => s.Name),
            cardPosted = post is not null,
            previousRequestId = previous?.Id,
        }, reason: post is null ? "No channel is bound to approvals; run `use this channel for approvals` in the managers' channel."
            : previous is not null ? $"Re-opened after {previous.DecidedByName ?? "a manager"} rejected request {previous.Id}." : null);
        return new AssignmentOpened(request, post is not null, card);
    }

    /// <summary>
    /// Handles Approve / Reject. Only a manager decides; the first decision wins (Version token) and every later or
    /// concurrent click, and every Teams retry, gets the decided card without changing anything.
    /// </summary>
    public async Task<AdaptiveCardInvokeResponse> DecideAsync(
        Caller caller, string verb, JsonElement? data, string? conversationId, string? replyToId, CancellationToken cancellationToken)
    {
        if (!caller.Has(Role.Manager))
        {
            return AdaptiveCardInvokeResponse.Message("Only a manager can decide engineer assignments. Nothing was changed.");
        }
        if (ReadGuid(data, "assignmentRequestId") is not { } requestId)
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card did not say which assignment request it is about.");
        }

        try
        {
            return await TryDecideAsync(caller, verb, requestId, data, conversationId, replyToId, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another manager's decision (or a parallel retry of this one) was saved first: the Version check or a
            // unique key stopped this one, and nothing of it was written. Show what was decided.
            db.ChangeTracker.Clear();
            var decided = await LoadAsync(requestId, cancellationToken);
            if (decided is null || !decided.IsDecided)
            {
                throw;
            }
            LogLostRace(requestId, caller.AadObjectId);
            return AdaptiveCardInvokeResponse.Card(await RenderAsync(decided, cancellationToken));
        }
    }

    private async Task<AdaptiveCardInvokeResponse> TryDecideAsync(
        Caller caller, string verb, Guid requestId, JsonElement? data, string? conversationId, string? replyToId, CancellationToken cancellationToken)
    {
        var request = await LoadAsync(requestId, cancellationToken);
        if (request is null)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", "This assignment request no longer exists.");
        }
        if (request.IsDecided)
        {
            return AdaptiveCardInvokeResponse.Card(await RenderAsync(request, cancellationToken));
        }

        var now = clock.GetUtcNow();
        var engineers = await ranking.DescribeAsync(request.SuggestedEngineerIds, cancellationToken);
        var history = await HistoryAsync(request.EngagementId, request.PreviousRequestId, cancellationToken);
        var actor = new AuditActor(caller.AadObjectId, caller.Name);
        var before = new { status = StoredText.Of(request.Status) };
        if (verb == ApproveVerb)
        {
            if (ReadGuid(data, "engineer") is not { } engineerId || !request.SuggestedEngineerIds.Contains(engineerId)
                || await db.Engineers.FindAsync([engineerId], cancellationToken) is not { IsActive: true } engineer)
            {
                return AdaptiveCardInvokeResponse.Message("Pick one of the suggested engineers, then Approve.");
            }
            Approve(request, engineer, caller, now);
            foreach (var handler in approvedHandlers)
            {
                await handler.OnApprovedAsync(new AssignmentApproved(
                    request.Id, request.EngagementId, request.Engagement.CustomerId, engineer.Id, engineer.AadObjectId,
                    caller.AadObjectId, caller.Name, now), cancellationToken);
            }
            Welcome(request, engineer, caller);
            audit.Record(actor, AuditSource.Card, "assignment-approved", nameof(AssignmentRequest), request.Id.ToString(), before, new
            {
                status = StoredText.Of(request.Status),
                engineerId = engineer.Id,
                engineer = engineer.Name,
                engagementStatus = StoredText.Of(request.Engagement.Status),
            });
        }
        else
        {
            // The rejection is about the engineer the card had selected (the top suggestion unless the manager picked another).
            var rejected = ReadGuid(data, "engineer") is { } picked && request.SuggestedEngineerIds.Contains(picked) ? picked
                : request.SuggestedEngineerIds.Count > 0 ? request.SuggestedEngineerIds[0] : (Guid?)null;
            request.Status = AssignmentStatus.Rejected;
            request.DecidedAt = now;
            request.DecidedByAadObjectId = caller.AadObjectId;
            request.DecidedByName = caller.Name;
            request.RejectedEngineerId = rejected;
            request.DecisionNote = ReadString(data, "reason")?.Trim() is { Length: > 0 } reason ? reason[..Math.Min(reason.Length, 1000)] : null;
            audit.Record(actor, AuditSource.Card, "assignment-rejected", nameof(AssignmentRequest), request.Id.ToString(), before, new
            {
                status = StoredText.Of(request.Status),
                rejectedEngineerId = rejected,
                rejectedEngineer = engineers.FirstOrDefault(e => e.Id == rejected)?.Name,
            }, request.DecisionNote);
        }

        var decidedCard = AssignmentCard.Render(cards, request, request.Engagement.Customer, request.Engagement.Opportunity,
            request.Engagement, request.Engagement.Projects, engineers, history, now);
        await UpdateChannelCardAsync(request, decidedCard, conversationId, replyToId, cancellationToken);
        if (request.Status != AssignmentStatus.Rejected)
        {
            await db.SaveChangesAsync(cancellationToken);
            return AdaptiveCardInvokeResponse.Card(decidedCard);
        }

        // A rejection must lead somewhere: a new pending request (and card) in the same transaction. Two saves, because
        // only one request per engagement may be pending (filtered unique index): the rejection has to land first.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var engagement = request.Engagement;
        var reopened = await OpenAsync(engagement, engagement.Customer, engagement.Opportunity, actor, AuditSource.Card, cancellationToken, previous: request);
        if (!reopened.CardPosted && !string.IsNullOrEmpty(conversationId))
        {
            // No approvals channel: the new card goes where the rejected one was clicked, so the manager sees what follows.
            var fallback = ConversationStore.BaseConversationId(conversationId);
            outbox.SendToConversation(fallback, Messages.Card(reopened.Card), CardKey(reopened.Request.Id), Related.To<AssignmentRequest>(reopened.Request.Id));
            reopened.Request.ConversationId = fallback;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogReopened(request.Id, reopened.Request.Id, reopened.CardPosted);
        return AdaptiveCardInvokeResponse.Card(decidedCard);
    }

    // The rejections a request re-opens: its chain of previous requests (exact even when instants tie), newest first.
    private async Task<RejectionHistory> HistoryAsync(Guid engagementId, Guid? previousRequestId, CancellationToken cancellationToken)
    {
        if (previousRequestId is null)
        {
            return RejectionHistory.None;
        }
        var requests = await db.AssignmentRequests.AsNoTracking()
            .Where(r => r.EngagementId == engagementId)
            .Select(r => new { r.Id, r.PreviousRequestId, r.Status, r.RejectedEngineerId, r.DecidedAt, r.DecidedByName, r.DecisionNote })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var chain = new List<(Guid? RejectedEngineerId, DateTimeOffset? DecidedAt, string? DecidedByName, string? DecisionNote)>();
        for (var id = previousRequestId; id is { } current && requests.TryGetValue(current, out var row) && chain.Count < requests.Count; id = row.PreviousRequestId)
        {
            if (row.Status == AssignmentStatus.Rejected)
            {
                chain.Add((row.RejectedEngineerId, row.DecidedAt, row.DecidedByName, row.DecisionNote));
            }
        }
        if (chain.Count == 0)
        {
            return RejectionHistory.None;
        }
        var last = chain[0];
        var engineer = last.RejectedEngineerId is { } engineerId
            ? await db.Engineers.AsNoTracking().Where(e => e.Id == engineerId).Select(e => e.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        var line = $"Re-opened: {last.DecidedByName ?? "a manager"} rejected {engineer ?? "the previous request"} at {Format.Instant(last.DecidedAt)}"
            + (last.DecisionNote is { } note ? $" ({note})." : ".");
        return new RejectionHistory(chain.Select(r => r.RejectedEngineerId).OfType<Guid>().ToHashSet(), line);
    }

    private void Approve(AssignmentRequest request, EngineerProfile engineer, Caller caller, DateTimeOffset now)
    {
        request.Status = AssignmentStatus.Approved;
        request.AssignedEngineerId = engineer.Id;
        request.AssignedEngineer = engineer;
        request.DecidedAt = now;
        request.DecidedByAadObjectId = caller.AadObjectId;
        request.DecidedByName = caller.Name;

        var engagement = request.Engagement;
        engagement.Status = EngagementStatus.Active;
        engagement.ManagerAadObjectId ??= caller.AadObjectId;
        engagement.ManagerName ??= caller.Name;
        engagement.UpdatedAt = now;
        if (!engagement.Engineers.Any(e => e.EngineerId == engineer.Id))
        {
            engagement.Engineers.Add(new EngagementEngineer { EngagementId = engagement.Id, EngineerId = engineer.Id, AssignedAt = now });
        }
        // The assigned engineer works the SOW's deliverables (SPEC §1) until someone re-assigns one.
        foreach (var deliverable in engagement.Projects.SelectMany(p => p.Deliverables).Where(d => d.OwnerId is null))
        {
            deliverable.OwnerId = engineer.Id;
            deliverable.UpdatedAt = now;
        }
    }

    private void Welcome(AssignmentRequest request, EngineerProfile engineer, Caller caller)
    {
        var engagement = request.Engagement;
        var customer = engagement.Customer;
        var related = Related.To<AssignmentRequest>(request.Id);
        outbox.SendToUser(engineer.AadObjectId, Messages.Card(WelcomeMessages.EngineerCard(cards, engagement, engineer, caller.Name)),
            $"assignment:{request.Id}:welcome-engineer", related);
        if (WelcomeMessages.CustomerEmail(engagement, engineer, caller.Name) is { } email)
        {
            outbox.SendEmail(email, $"assignment:{request.Id}:welcome-email", related);
        }
        else
        {
            audit.Record(AuditActor.System, AuditSource.System, "welcome-email-skipped", nameof(Customer), customer.Id.ToString(),
                reason: "The customer has no contact email (customer.contactEmail); the welcome email was not sent.");
        }
    }

    // Everyone sees the decision: the card this outbox posted is replaced in place; when the click came from a card
    // posted some other way, that message (the invoke's conversation and replyToId) is replaced instead.
    private async Task UpdateChannelCardAsync(
        AssignmentRequest request, System.Text.Json.Nodes.JsonObject card, string? conversationId, string? replyToId, CancellationToken cancellationToken)
    {
        var key = $"assignment:{request.Id}:decided";
        var post = await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.IdempotencyKey == CardKey(request.Id), cancellationToken);
        if (post is not null)
        {
            outbox.UpdatePosted(post, Messages.Card(card), key);
        }
        else if (!string.IsNullOrEmpty(conversationId) && !string.IsNullOrEmpty(replyToId))
        {
            outbox.UpdateActivity(conversationId, replyToId, Messages.Card(card), key, Related.To<AssignmentRequest>(request.Id));
        }
    }

    public async Task<System.Text.Json.Nodes.JsonObject> RenderAsync(AssignmentRequest request, CancellationToken cancellationToken)
    {
        var engineers = await ranking.DescribeAsync(request.SuggestedEngineerIds, cancellationToken);
        var history = await HistoryAsync(request.EngagementId, request.PreviousRequestId, cancellationToken);
        return AssignmentCard.Render(cards, request, request.Engagement.Customer, request.Engagement.Opportunity,
            request.Engagement, request.Engagement.Projects, engineers, history, clock.GetUtcNow());
    }

    private Task<AssignmentRequest?> LoadAsync(Guid requestId, CancellationToken cancellationToken) =>
        db.AssignmentRequests
            .Include(r => r.AssignedEngineer)
            .Include(r => r.Engagement).ThenInclude(e => e.Customer)
            .Include(r => r.Engagement).ThenInclude(e => e.Opportunity)
            .Include(r => r.Engagement).ThenInclude(e => e.Engineers)
            .Include(r => r.Engagement).ThenInclude(e => e.Projects).ThenInclude(p => p.Deliverables)
            .AsSplitQuery()
            .SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);

    private static string? ReadString(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var property)
            ? property.ValueKind switch
            {
                JsonValueKind.String => property.GetString(),
                JsonValueKind.Number => property.GetRawText(),
                _ => null,
            }
            : null;

    private static Guid? ReadGuid(JsonElement? data, string name) =>
        Guid.TryParse(ReadString(data, name), out var id) ? id : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assignment request {RequestId} opened, but no channel is bound to approvals; its card was not posted")]
    private partial void LogNoApprovalsChannel(Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assignment request {RequestId} was rejected; request {NewRequestId} re-opens it (card posted: {CardPosted})")]
    private partial void LogReopened(Guid requestId, Guid newRequestId, bool cardPosted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assignment request {RequestId} was decided by someone else first; {Caller} sees the decided card")]
    private partial void LogLostRace(Guid requestId, string? caller);
}

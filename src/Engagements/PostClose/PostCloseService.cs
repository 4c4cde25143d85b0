using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.Assignments;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.BotFramework.Schema;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Intake;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.PostClose;

/// <summary>Where the checklist card went at intake, for the intake's answer and the audit.</summary>
public sealed record PostCloseOpened(PostCloseChecklist Checklist, string SentTo);

/// <summary>What keeps an engagement's kickoff waiting: the open post-close steps and who owns them.</summary>
public sealed record PostCloseBlock(IReadOnlyList<string> OpenItems, string Owner);

/// <summary>
/// The post-close checklist of SPEC §3.1 (seed 004): created with the engagement at intake and sent as a card to the
/// pre-sales engineer; each step is ticked on that card (`tickPostClose`), which updates in place; open steps show in
/// `status` and keep the plan's pre-kickoff phase from being confirmed.
/// </summary>
public sealed partial class PostCloseService(
    EngagementsDb db,
    OutboxWriter outbox,
    AuditLog audit,
    CardCatalog cards,
    RoleService roles,
    TimeProvider clock,
    ILogger<PostCloseService> logger)
{
    public const string TickVerb = "tickPostClose";
    public const string DoneOutcome = "done";
    public const string NotNeededOutcome = "not-needed";

    private const int MaxTickAttempts = 3;

    /// <summary>Every card of one checklist (the 1:1 card, the channel card, or one per fallback recipient) starts with this key.</summary>
    public static string CardKeyPrefix(Guid checklistId) => $"postclose:{checklistId:N}:card";

    /// <summary>Adds the checklist and its card(s) to the caller's unit of work (the intake's one SaveChanges); the caller saves.</summary>
    public async Task<PostCloseOpened> OpenAsync(
        Engagement engagement, Customer customer, Opportunity opportunity, PresalesEngineerPayload? named,
        AuditActor actor, AuditSource source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var presales = await ResolveAsync(named, cancellationToken);
        var checklist = new PostCloseChecklist
        {
            EngagementId = engagement.Id,
            Engagement = engagement,
            PresalesEngineerAadObjectId = presales.AadObjectId,
            PresalesEngineerName = presales.Name,
            PresalesEngineerEmail = presales.Email,
            CreatedAt = now,
            UpdatedAt = now,
            Items = PostCloseSteps.For(opportunity.Deployment, now),
        };
        db.PostCloseChecklists.Add(checklist);

        var reachable = presales.AadObjectId is { } aad && await ReachableAsync(aad, cancellationToken);
        checklist.FallbackReason = reachable ? null
            : named is null ? "The opportunity names no pre-sales engineer: one of the pre-sales engineers, please take it."
            : presales.AadObjectId is null ? $"The opportunity names {presales.Name}, whom I can't find in Teams: one of the pre-sales engineers, please take it."
            : $"I can't message {presales.Name ?? "the pre-sales engineer"} directly yet (no chat with me so far): please pass this on.";
        var card = Messages.Card(await RenderAsync(checklist, customer, opportunity, cancellationToken));
        var related = Related.To<PostCloseChecklist>(checklist.Id);
        var prefix = CardKeyPrefix(checklist.Id);
        string sentTo;
        if (reachable)
        {
            outbox.SendToUser(presales.AadObjectId!, card, $"{prefix}:{presales.AadObjectId}", related);
            sentTo = presales.Name ?? presales.AadObjectId!;
        }
        else if (await outbox.PostToChannelAsync(ChannelPurpose.Approvals, card, $"{prefix}:approvals", related, cancellationToken) is not null)
        {
            sentTo = "the approvals channel";
        }
        else
        {
            // No channel either: the pre-sales engineers (else the managers) each get the card, so it never goes nowhere.
            var people = await roles.HoldersOfAsync(Role.PresalesEngineer, cancellationToken);
            var who = "the pre-sales engineers";
            if (people.Count == 0)
            {
                people = await roles.HoldersOfAsync(Role.Manager, cancellationToken);
                who = "the managers";
            }
            foreach (var person in people)
            {
                outbox.SendToUser(person, card, $"{prefix}:{person}", related);
            }
            sentTo = people.Count == 0 ? "nobody" : $"{who} ({people.Count})";
            if (people.Count == 0)
            {
                LogNobodyToSendTo(checklist.Id, engagement.Id);
            }
        }

        audit.Record(actor, source, "post-close-checklist-sent", nameof(PostCloseChecklist), checklist.Id.ToString(), after: new
        {
            engagementId = engagement.Id,
            presalesEngineer = presales.Name,
            presalesEngineerAadObjectId = presales.AadObjectId,
            deployment = opportunity.Deployment is { } d ? StoredText.Of(d) : null,
            items = checklist.Items.OrderBy(i => i.Order).Select(i => new { i.Key, state = StoredText.Of(i.State) }),
            sentTo,
        }, reason: checklist.FallbackReason);
        return new PostCloseOpened(checklist, sentTo);
    }

    /// <summary>
    /// The `tickPostClose` action: closes one step as done (or, for an optional step, not needed). Only the engagement's
    /// pre-sales engineer (any pre-sales engineer when none is named), a manager or an admin may; anyone else sees a
    /// refusal and the card stays as it is. Repeats and retries change nothing.
    /// </summary>
    public async Task<AdaptiveCardInvokeResponse> TickAsync(Caller caller, JsonElement? data, CardOrigin origin, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(Read(data, "itemId"), out var itemId))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "The card does not say which checklist step to tick.");
        }
        var outcome = Read(data, "outcome") ?? DoneOutcome;
        if (outcome is not (DoneOutcome or NotNeededOutcome))
        {
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", $"'{outcome}' is not a checklist outcome.");
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryTickAsync(caller, itemId, outcome, origin, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxTickAttempts)
            {
                // Someone ticked another step of the same checklist at the same moment: apply this tick on top of theirs.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<AdaptiveCardInvokeResponse> TryTickAsync(Caller caller, Guid itemId, string outcome, CardOrigin origin, CancellationToken cancellationToken)
    {
        var checklist = await Graphs().SingleOrDefaultAsync(c => c.Items.Any(i => i.Id == itemId), cancellationToken);
        if (checklist is null)
        {
            return AdaptiveCardInvokeResponse.Error(404, "NotFound", "This checklist no longer exists.");
        }
        var customer = checklist.Engagement.Customer;
        if (!MayTick(caller, checklist))
        {
            return AdaptiveCardInvokeResponse.Message(checklist.PresalesEngineerAadObjectId is null
                ? $"Only a pre-sales engineer or a manager can tick {customer.Name}'s post-close checklist. Nothing was changed."
                : $"Only {checklist.PresalesEngineerName ?? "the named pre-sales engineer"} (the pre-sales engineer on {customer.Name}) or a manager can tick this checklist. Nothing was changed.");
        }
        var item = checklist.Items.Single(i => i.Id == itemId);
        if (item.State != PostCloseItemState.Open)
        {
            return AdaptiveCardInvokeResponse.Card(await RenderAsync(checklist, customer, checklist.Engagement.Opportunity, cancellationToken));
        }
        if (outcome == NotNeededOutcome && !item.Optional)
        {
            return AdaptiveCardInvokeResponse.Message($"\"{item.Title}\" is always needed; tick it once it is done. Nothing was changed.");
        }

        var now = clock.GetUtcNow();
        var actor = new AuditActor(caller.AadObjectId, caller.Name);
        item.State = outcome == DoneOutcome ? PostCloseItemState.Done : PostCloseItemState.NotNeeded;
        item.ClosedAt = now;
        item.ClosedByAadObjectId = caller.AadObjectId;
        item.ClosedByName = caller.Name;
        checklist.UpdatedAt = now;
        // Saved even when the clock shows the same instant, so the Version check serialises concurrent ticks.
        db.Entry(checklist).Property(c => c.UpdatedAt).IsModified = true;
        audit.Record(actor, AuditSource.Card, outcome == DoneOutcome ? "post-close-item-done" : "post-close-item-not-needed",
            nameof(PostCloseItem), item.Id.ToString(),
            new { step = item.Key, state = StoredText.Of(PostCloseItemState.Open) }, new { step = item.Key, state = StoredText.Of(item.State) });
        if (!checklist.OpenItems.Any())
        {
            checklist.CompletedAt = now;
            audit.Record(actor, AuditSource.Card, "post-close-checklist-completed", nameof(PostCloseChecklist), checklist.Id.ToString(),
                after: new { engagementId = checklist.EngagementId, customer = customer.Name });
        }

        var card = await RenderAsync(checklist, customer, checklist.Engagement.Opportunity, cancellationToken);
        // The checklist is modified, so this save writes Version + 1: the version the updated cards render.
        await UpdateEverywhereAsync(checklist, card, origin, checklist.Version + 1, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        LogTicked(item.Key, checklist.Id, caller.AadObjectId);
        return AdaptiveCardInvokeResponse.Card(card);
    }

    /// <summary>Null when nothing keeps the kickoff waiting (no checklist, as for engagements from before it existed, or all steps closed).</summary>
    public async Task<PostCloseBlock?> BlockingKickoffAsync(Guid engagementId, CancellationToken cancellationToken)
    {
        var checklist = await db.PostCloseChecklists.AsNoTracking()
            .Where(c => c.EngagementId == engagementId)
            .Select(c => new
            {
                c.PresalesEngineerName,
                c.PresalesEngineerAadObjectId,
                Open = c.Items.Where(i => i.State == PostCloseItemState.Open).OrderBy(i => i.Order).Select(i => i.Title).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return checklist is null || checklist.Open.Count == 0
            ? null
            : new PostCloseBlock(checklist.Open, checklist.PresalesEngineerAadObjectId is null ? "a pre-sales engineer" : checklist.PresalesEngineerName ?? "the pre-sales engineer");
    }

    private static bool MayTick(Caller caller, PostCloseChecklist checklist) =>
        caller.HasAny(Role.Manager, Role.Admin)
        || (checklist.PresalesEngineerAadObjectId is { } named
            ? string.Equals(named, caller.AadObjectId, StringComparison.OrdinalIgnoreCase)
            : caller.Has(Role.PresalesEngineer));

    // Every card this checklist posted shows the tick; a card posted some other way is replaced where it was clicked.
    private async Task UpdateEverywhereAsync(PostCloseChecklist checklist, JsonObject card, CardOrigin origin, long version, CancellationToken cancellationToken)
    {
        var prefix = CardKeyPrefix(checklist.Id);
        var posts = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.IdempotencyKey != null && m.IdempotencyKey.StartsWith(prefix) && m.Kind != OutboxKind.UpdateActivity)
            .ToListAsync(cancellationToken);
        foreach (var post in posts)
        {
            outbox.UpdatePosted(post, Messages.Card(card), rendersVersion: version);
        }
        if (posts.Count == 0 && origin.ConversationId is not null && origin.ActivityId is not null)
        {
            outbox.UpdateActivity(origin.ConversationId, origin.ActivityId, Messages.Card(card), related: Related.To<PostCloseChecklist>(checklist.Id), rendersVersion: version);
        }
    }

    private async Task<JsonObject> RenderAsync(PostCloseChecklist checklist, Customer customer, Opportunity opportunity, CancellationToken cancellationToken)
    {
        var open = checklist.OpenItems.Count();
        string audience;
        if (checklist.PresalesEngineerAadObjectId is not null)
        {
            audience = $"For {checklist.PresalesEngineerName ?? "the pre-sales engineer"}, pre-sales engineer";
        }
        else
        {
            var names = await PresalesNamesAsync(cancellationToken);
            audience = names.Count == 0 ? "For the pre-sales engineers" : $"For the pre-sales engineers: {string.Join(", ", names)}";
        }
        return cards.Render("post-close-checklist", new
        {
            customer = customer.Name,
            opportunity = opportunity.CrmId,
            closeDate = Format.Date(opportunity.CloseDate),
            audience,
            fallback = checklist.FallbackReason,
            progress = $"{checklist.Items.Count - open} of {checklist.Items.Count} closed",
            items = checklist.Items.OrderBy(i => i.Order).Select(i => new
            {
                id = i.Id,
                title = i.Title,
                mark = i.State switch { PostCloseItemState.Done => "✅", PostCloseItemState.NotNeeded => "➖", _ => "⬜" },
                detail = i.State switch
                {
                    PostCloseItemState.Done => $"Done by {i.ClosedByName} · {Format.Instant(i.ClosedAt)}",
                    PostCloseItemState.NotNeeded => $"Not needed · {i.Note ?? $"{i.ClosedByName}, {Format.Instant(i.ClosedAt)}"}",
                    _ => i.Detail ?? "",
                },
                open = i.State == PostCloseItemState.Open,
                optional = i.Optional,
            }),
            complete = open == 0,
        });
    }

    // Where the outbox can deliver a 1:1 message: a chat the person had with the bot, or an engineer profile's Teams id.
    private async Task<bool> ReachableAsync(string aadObjectId, CancellationToken cancellationToken) =>
        await db.Conversations.AnyAsync(c => c.UserAadObjectId == aadObjectId, cancellationToken)
        || await db.Engineers.AnyAsync(e => e.AadObjectId == aadObjectId && e.TeamsUserId != null, cancellationToken);

    // Names as granted in chat; people holding the role only through configuration have no stored name.
    private Task<List<string>> PresalesNamesAsync(CancellationToken cancellationToken) =>
        db.RoleAssignments.AsNoTracking()
            .Where(r => r.Role == Role.PresalesEngineer && r.DisplayName != null)
            .OrderBy(r => r.DisplayName)
            .Select(r => r.DisplayName!)
            .ToListAsync(cancellationToken);

    private sealed record Presales(string? AadObjectId, string? Name, string? Email);

    // The bot reaches people by Entra object id. CRMs know emails: an email is resolved through the engineer
    // profiles, the one directory of emails the bot keeps; anyone else needs the object id in the payload.
    private async Task<Presales> ResolveAsync(PresalesEngineerPayload? named, CancellationToken cancellationToken)
    {
        if (named is null)
        {
            return new(null, null, null);
        }
        var email = Trimmed(named.Email);
        var name = Trimmed(named.Name);
        var aad = Trimmed(named.AadObjectId);
        if (aad is null && email is not null)
        {
            var lower = email.ToLowerInvariant();
            var engineer = await db.Engineers.AsNoTracking()
                .Where(e => e.Email.ToLower() == lower)
                .Select(e => new { e.AadObjectId, e.Name })
                .FirstOrDefaultAsync(cancellationToken);
            aad = engineer?.AadObjectId;
            name ??= engineer?.Name;
        }
        if (aad is not null && name is null)
        {
            name = await db.RoleAssignments.AsNoTracking().Where(r => r.AadObjectId == aad && r.DisplayName != null).Select(r => r.DisplayName).FirstOrDefaultAsync(cancellationToken)
                ?? await db.Engineers.AsNoTracking().Where(e => e.AadObjectId == aad).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken);
        }
        return new(aad, name ?? email, email);
    }

    private IQueryable<PostCloseChecklist> Graphs() => db.PostCloseChecklists
        .Include(c => c.Items)
        .Include(c => c.Engagement).ThenInclude(e => e.Customer)
        .Include(c => c.Engagement).ThenInclude(e => e.Opportunity)
        .AsSplitQuery();

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Read(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post-close checklist {ChecklistId} of engagement {EngagementId}: no pre-sales engineer, no approvals channel, no pre-sales engineers or managers to send it to")]
    private partial void LogNobodyToSendTo(Guid checklistId, Guid engagementId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Post-close step {Step} of checklist {ChecklistId} closed by {Caller}")]
    private partial void LogTicked(string step, Guid checklistId, string? caller);
}

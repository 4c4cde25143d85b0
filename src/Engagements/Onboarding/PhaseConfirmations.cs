using System.Globalization;
using System.Text.Json.Nodes;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Outbox;
using Engagements.PostClose;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Onboarding;

public sealed record PhaseCardsSent(int PhaseCards, int HandoffCards);

/// <summary>Where a card action came from, so the answer can replace that card for everyone in the conversation.</summary>
public sealed record CardOrigin(string? ConversationId, string? ActivityId);

/// <summary>The result of a card action: the card that replaces the clicked one, or a refusal shown on it.</summary>
public sealed record CardActionResult(JsonObject Card, bool Changed);

/// <summary>
/// The phase-end cycle of SPEC §3.4: at the end of each phase the CSM (or else the engagement manager) gets a
/// "Confirm phase complete" card listing which targets are met; confirming moves the plan on. On day 90 the handoff
/// card moves the customer to "3. Live".
/// </summary>
public sealed partial class PhaseConfirmations(
    EngagementsDb db, PlanTemplateCatalog templates, TargetEvaluator targets, OnboardingCommunications communications,
    PostCloseService postClose, OutboxWriter outbox, AuditLog audit, CardCatalog cards, TimeProvider clock, ILogger<PhaseConfirmations> logger)
{
    public static string ConfirmCardKey(Guid phaseId) => $"onboarding:phase:{phaseId:N}:confirm";

    public static string HandoffCardKey(Guid planId) => $"onboarding:plan:{planId:N}:handoff";

    /// <summary>The daily job: posts each due phase card and handoff card once (the idempotency key is the memory).</summary>
    public async Task<PhaseCardsSent> SendDueCardsAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var plans = await db.PlanGraphs().Where(p => p.State == PlanState.Active).ToListAsync(cancellationToken);
        var keys = plans.SelectMany(p => p.Phases.Select(ph => ConfirmCardKey(ph.Id)).Append(HandoffCardKey(p.Id))).ToList();
        var sent = (await db.OutboxMessages.AsNoTracking().Where(m => m.IdempotencyKey != null && keys.Contains(m.IdempotencyKey))
            .Select(m => m.IdempotencyKey!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        int phaseCards = 0, handoffCards = 0;
        foreach (var plan in plans)
        {
            var day = plan.DayOn(today);
            var recipient = RecipientOf(plan);
            if (plan.CurrentPhase is { } phase && day >= phase.EndDay && !sent.Contains(ConfirmCardKey(phase.Id)))
            {
                if (recipient is null)
                {
                    LogNoRecipient(plan.Id);
                    continue;
                }
                phase.Targets = await targets.EvaluateAsync(plan, phase, cancellationToken);
                phase.Status = PhaseStatus.AwaitingConfirmation;
                outbox.SendToUser(recipient, Messages.Card(RenderPhaseCard(plan, phase, today, error: null)), ConfirmCardKey(phase.Id), Related.To<PlanPhase>(phase.Id));
                audit.Record(AuditActor.Job(nameof(OnboardingDailyJob)), AuditSource.Job, "phase-confirmation-requested", nameof(PlanPhase), phase.Id.ToString(),
                    after: new { phase = phase.Name, day, targets = phase.Targets.Select(t => new { t.Name, t.Met, t.Actual }) });
                phaseCards++;
            }
            var last = plan.Phases.MaxBy(p => p.Order);
            if (last is not null && day >= last.EndDay && recipient is not null && !sent.Contains(HandoffCardKey(plan.Id)))
            {
                outbox.SendToUser(recipient, Messages.Card(RenderHandoffCard(plan, today, error: null)), HandoffCardKey(plan.Id), Related.To<OnboardingPlan>(plan.Id));
                audit.Record(AuditActor.Job(nameof(OnboardingDailyJob)), AuditSource.Job, "handoff-requested", nameof(OnboardingPlan), plan.Id.ToString());
                handoffCards++;
            }
        }
        if (phaseCards + handoffCards > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return new(phaseCards, handoffCards);
    }

    /// <summary>The `confirmPhase` action. Repeating it changes nothing; unmet targets need a reason.</summary>
    public async Task<CardActionResult> ConfirmPhaseAsync(Caller caller, Guid phaseId, string? reason, CardOrigin origin, CancellationToken cancellationToken)
    {
        var plan = await db.PlanGraphs().SingleOrDefaultAsync(p => p.Phases.Any(ph => ph.Id == phaseId), cancellationToken);
        if (plan is null)
        {
            return new(Message("Phase not found", "This plan no longer exists.", "attention"), false);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var phase = plan.Phases.Single(p => p.Id == phaseId);
        if (phase.Status == PhaseStatus.Completed)
        {
            return new(RenderPhaseCard(plan, phase, today, error: null), false);
        }
        if (!PlanQueries.MayConfirm(caller, plan))
        {
            return new(RenderPhaseCard(plan, phase, today, $"Only {plan.Project.Engagement.Customer.Name}'s CSM or a Manager can confirm a phase; nothing was changed."), false);
        }
        if (plan.CurrentPhase?.Id != phase.Id)
        {
            return new(RenderPhaseCard(plan, phase, today, $"Confirm \"{plan.CurrentPhase?.Name}\" first: phases complete in order."), false);
        }
        // Seed 004: the pre-sales engineer's post-close steps come before the kickoff, so the phase that leads up to it
        // (it ends before day 1) stays open while any of them is.
        if (phase.EndDay < 1 && await postClose.BlockingKickoffAsync(plan.Project.EngagementId, cancellationToken) is { } block)
        {
            var steps = string.Join(", ", block.OpenItems.Select(t => $"\"{t}\""));
            return new(RenderPhaseCard(plan, phase, today,
                $"Not confirmed: the post-close checklist still has {block.OpenItems.Count} open {(block.OpenItems.Count == 1 ? "step" : "steps")} ({steps}). "
                + $"The kickoff waits until {block.Owner} closes {(block.OpenItems.Count == 1 ? "it" : "them")} on the checklist card."), false);
        }

        var measured = await targets.EvaluateAsync(plan, phase, cancellationToken);
        var unmet = measured.Where(t => t.Met != true).ToList();
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (unmet.Count > 0 && reason is null)
        {
            return new(RenderPhaseCard(plan, phase, today, measured,
                $"Not confirmed: {string.Join(", ", unmet.Select(t => t.Name))} {(unmet.Count == 1 ? "is" : "are")} not met. Give a reason to confirm anyway."), false);
        }
        if (reason is { Length: > 2000 })
        {
            return new(RenderPhaseCard(plan, phase, today, "The reason is too long (2000 characters at most)."), false);
        }

        var now = clock.GetUtcNow();
        var before = new { status = StoredText.Of(phase.Status) };
        phase.Targets = measured;
        phase.Status = PhaseStatus.Completed;
        phase.ConfirmedAt = now;
        phase.ConfirmedByAadObjectId = caller.AadObjectId;
        phase.ConfirmedByName = caller.Name;
        phase.UnmetTargetsReason = unmet.Count > 0 ? reason : null;
        if (origin.ConversationId is not null && origin.ActivityId is not null)
        {
            phase.ConfirmationConversationId = origin.ConversationId;
            phase.ConfirmationActivityId = origin.ActivityId;
        }
        var next = plan.Phases.Where(p => p.Order > phase.Order).MinBy(p => p.Order);
        if (next is not null && next.Status == PhaseStatus.Upcoming)
        {
            next.Status = PhaseStatus.Active;
        }
        audit.Record(new AuditActor(caller.AadObjectId, caller.Name), AuditSource.Card, "phase-confirmed", nameof(PlanPhase), phase.Id.ToString(),
            before, new { status = StoredText.Of(PhaseStatus.Completed), unmet = unmet.Select(t => t.Name), next = next?.Name },
            unmet.Count > 0 ? reason : null);

        var card = RenderPhaseCard(plan, phase, today, error: null);
        UpdateEverywhere(origin, ConfirmCardKey(phase.Id), card, phase.Id);
        Celebrate(plan, phase, next);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone confirmed in the same moment (PlanPhase.Version): show what is stored now.
            db.ChangeTracker.Clear();
            var stored = await db.PlanGraphs().SingleAsync(p => p.Id == plan.Id, cancellationToken);
            return new(RenderPhaseCard(stored, stored.Phases.Single(p => p.Id == phaseId), today, null), false);
        }
        return new(card, true);
    }

    /// <summary>The `confirmHandoff` action: all phases must be complete; moves the customer's lifecycle on (audited).</summary>
    public async Task<CardActionResult> ConfirmHandoffAsync(Caller caller, Guid planId, CardOrigin origin, CancellationToken cancellationToken)
    {
        var plan = await db.PlanGraphs().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return new(Message("Plan not found", "This plan no longer exists.", "attention"), false);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (plan.State == PlanState.HandedOff)
        {
            return new(RenderHandoffCard(plan, today, null), false);
        }
        if (!PlanQueries.MayConfirm(caller, plan))
        {
            return new(RenderHandoffCard(plan, today, $"Only {plan.Project.Engagement.Customer.Name}'s CSM or a Manager can confirm the handoff; nothing was changed."), false);
        }
        if (plan.CurrentPhase is { } open)
        {
            return new(RenderHandoffCard(plan, today, $"Confirm the \"{open.Name}\" phase first: every phase must be complete before the handoff."), false);
        }

        var now = clock.GetUtcNow();
        var actor = new AuditActor(caller.AadObjectId, caller.Name);
        plan.State = PlanState.HandedOff;
        plan.HandedOffAt = now;
        plan.HandedOffByAadObjectId = caller.AadObjectId;
        audit.Record(actor, AuditSource.Card, "plan-handed-off", nameof(OnboardingPlan), plan.Id.ToString(),
            new { state = StoredText.Of(PlanState.Active) }, new { state = StoredText.Of(PlanState.HandedOff) });
        var customer = plan.Project.Engagement.Customer;
        if (templates.Find(plan.TemplateId)?.Handoff?.LifecycleOnConfirm is { } stageText
            && StoredText.TryParse<LifecycleStage>(stageText, out var stage) && customer.Lifecycle != stage)
        {
            var before = StoredText.Of(customer.Lifecycle);
            customer.Lifecycle = stage;
            customer.UpdatedAt = now;
            audit.Record(actor, AuditSource.Card, "customer-lifecycle-changed", nameof(Customer), customer.Id.ToString(),
                new { lifecycle = before }, new { lifecycle = StoredText.Of(stage) }, "Onboarding handoff confirmed");
        }
        var card = RenderHandoffCard(plan, today, null);
        UpdateEverywhere(origin, HandoffCardKey(plan.Id), card, plan.Id);
        await db.SaveChangesAsync(cancellationToken);
        return new(card, true);
    }

    public JsonObject RenderPhaseCard(OnboardingPlan plan, PlanPhase phase, DateOnly today, string? error) =>
        RenderPhaseCard(plan, phase, today, phase.Targets, error);

    // Measured targets can be shown without being stored: a refused confirmation must leave the phase untouched.
    public JsonObject RenderPhaseCard(OnboardingPlan plan, PlanPhase phase, DateOnly today, List<PhaseTarget> shownTargets, string? error)
    {
        var customer = plan.Project.Engagement.Customer;
        var completed = phase.Status == PhaseStatus.Completed;
        return cards.Render("confirm-phase", new
        {
            phaseId = phase.Id,
            customer = customer.Name,
            phase = phase.Name,
            days = $"Days {phase.StartDay} to {phase.EndDay} ({Format(PlanProgress.DateOfDay(plan, phase.StartDay))} – {Format(PlanProgress.DateOfDay(plan, phase.EndDay))})",
            day = plan.DayOn(today),
            progress = PlanProgress.PercentOf(plan),
            targets = shownTargets.Select(t => new
            {
                name = t.Name,
                goal = t.Goal,
                actual = t.Actual ?? TargetEvaluator.NoData,
                status = t.Met == true ? "✅ Met" : "❌ Not met",
            }),
            items = phase.Items.OrderBy(i => i.Order).Select(i => new { title = i.Title, mark = i.IsDone ? "✅" : "⬜", owner = DisplayText.Of(i.OwnerRole) }),
            unmetCount = shownTargets.Count(t => t.Met != true),
            error,
            confirmed = completed
                ? new
                {
                    by = phase.ConfirmedByName ?? "",
                    at = phase.ConfirmedAt is { } at ? at.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture) : "",
                    reason = phase.UnmetTargetsReason ?? "",
                }
                : null,
        });
    }

    public JsonObject RenderHandoffCard(OnboardingPlan plan, DateOnly today, string? error)
    {
        var template = templates.Find(plan.TemplateId);
        var handedOff = plan.State == PlanState.HandedOff;
        return cards.Render("handoff", new
        {
            planId = plan.Id,
            customer = plan.Project.Engagement.Customer.Name,
            to = template?.Handoff?.To ?? "Ongoing Success Management",
            day = plan.DayOn(today),
            progress = PlanProgress.PercentOf(plan),
            lifecycle = template?.Handoff?.LifecycleOnConfirm ?? "",
            criteria = plan.HandoffCriteria.Select(c => new { text = c }),
            meeting = (template?.Handoff?.Meeting ?? []).Select(m => new { text = m }),
            phases = plan.Phases.OrderBy(p => p.Order).Select(p => new { name = p.Name, mark = p.Status == PhaseStatus.Completed ? "✅" : "⬜" }),
            error,
            confirmed = handedOff
                ? new { at = plan.HandedOffAt is { } at ? at.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture) : "" }
                : null,
        });
    }

    // The clicker sees the invoke response; everyone else in the conversation sees the same card through an update.
    private void UpdateEverywhere(CardOrigin origin, string postKey, JsonObject card, Guid relatedId)
    {
        if (origin.ConversationId is not null && origin.ActivityId is not null)
        {
            outbox.UpdateActivity(origin.ConversationId, origin.ActivityId, Messages.Card(card), idempotencyKey: null, Related.To<PlanPhase>(relatedId));
            return;
        }
        var post = db.OutboxMessages.Local.FirstOrDefault(m => m.IdempotencyKey == postKey)
            ?? db.OutboxMessages.AsNoTracking().FirstOrDefault(m => m.IdempotencyKey == postKey);
        if (post is not null)
        {
            outbox.UpdatePosted(post, Messages.Card(card));
        }
    }

    private void Celebrate(OnboardingPlan plan, PlanPhase phase, PlanPhase? next)
    {
        var template = communications.Templates.MilestoneCelebration!;
        var values = new Dictionary<string, string>
        {
            ["customer"] = plan.Project.Engagement.Customer.Name,
            ["phase"] = phase.Name,
            ["progress"] = PlanProgress.PercentOf(plan).ToString(CultureInfo.InvariantCulture),
            ["nextPhase"] = next?.Name ?? "",
        };
        values["next"] = OnboardingCommunications.Fill(next is null ? template.LastPhase : template.NextPhase, values);
        var text = OnboardingCommunications.Fill(template.Text, values);
        foreach (var person in PlanQueries.PeopleOf(plan))
        {
            var card = Message($"Milestone: {phase.Name} complete", text, "good");
            outbox.SendToUser(person, Messages.Card(card), $"onboarding:phase:{phase.Id:N}:celebrate:{person}", Related.To<PlanPhase>(phase.Id));
        }
    }

    private JsonObject Message(string title, string text, string style) => cards.Render("message", new { title, text, style });

    private static string? RecipientOf(OnboardingPlan plan) =>
        plan.Project.Engagement.Customer.CsmAadObjectId ?? plan.Project.Engagement.ManagerAadObjectId;

    private static string Format(DateOnly day) => day.ToString("d MMM", CultureInfo.InvariantCulture);

    [LoggerMessage(LogLevel.Warning, "Plan {PlanId} has a phase to confirm but neither a CSM nor a manager to send the card to")]
    private partial void LogNoRecipient(Guid planId);
}

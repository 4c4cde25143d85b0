using System.Globalization;
using System.Text.RegularExpressions;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Onboarding;

/// <summary>An open checklist item or deliverable a `done` command or a tick can complete.</summary>
public sealed record PlanWork(string Kind, Guid Id, string Title, string Customer, DateOnly? Due, bool Done)
{
    public const string ItemKind = "item";
    public const string DeliverableKind = "deliverable";
}

public abstract record OnboardingOutcome
{
    public sealed record Done(string Message) : OnboardingOutcome;

    public sealed record Refused(string Message) : OnboardingOutcome;

    public sealed record PickOne(string Query, IReadOnlyList<PlanWork> Matches) : OnboardingOutcome;
}

/// <summary>Plans: instantiation from templates, the kickoff date, and ticking items and deliverables.</summary>
public sealed partial class OnboardingService(
    EngagementsDb db, PlanTemplateCatalog templates, AuditLog audit, TimeProvider clock, ILogger<OnboardingService> logger)
{
    private const int MaxPickList = 8;

    /// <summary>
    /// Creates the plan of every project of the engagement whose kind names a template and that has no plan yet.
    /// Idempotent: a second call (or a redelivered approval) creates nothing.
    /// </summary>
    public async Task<IReadOnlyList<OnboardingPlan>> InstantiateForEngagementAsync(Guid engagementId, CancellationToken cancellationToken)
    {
        var created = await AddPlansForEngagementAsync(engagementId, cancellationToken);
        if (created.Count > 0)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A concurrent approval created the same plans first (unique project index): nothing more to do.
                if (await AllPlansExistAsync(engagementId, cancellationToken))
                {
                    return [];
                }
                throw;
            }
        }
        return created;
    }

    /// <summary>Adds the plans to the unit of work without saving: the approval hook commits them with the approval.</summary>
    public async Task<IReadOnlyList<OnboardingPlan>> AddPlansForEngagementAsync(Guid engagementId, CancellationToken cancellationToken)
    {
        var engagement = await db.Engagements
            .Include(e => e.Projects).ThenInclude(p => p.Plan)
            .SingleOrDefaultAsync(e => e.Id == engagementId, cancellationToken)
            ?? throw new KeyNotFoundException($"No engagement {engagementId}.");
        var now = clock.GetUtcNow();
        var created = new List<OnboardingPlan>();
        foreach (var project in engagement.Projects.Where(p => p.Plan is null).OrderBy(p => p.CreatedAt))
        {
            if (templates.Find(project.Kind) is not { } template)
            {
                LogNoTemplate(project.Id, project.Kind);
                continue;
            }
            // Pre-Kickoff starts on the engagement's start date, so day 1 (kickoff) follows the pre-kickoff week.
            var kickoff = engagement.StartDate.AddDays(Math.Max(0, -template.Phases[0].StartDay));
            var plan = Build(template, project, kickoff, now);
            db.OnboardingPlans.Add(plan);
            audit.Record(AuditActor.System, AuditSource.System, "onboarding-plan-instantiated", nameof(OnboardingPlan), plan.Id.ToString(),
                after: new { project = project.Name, template = template.Id, kickoff = plan.KickoffDate, items = plan.Phases.Sum(p => p.Items.Count) });
            created.Add(plan);
        }
        return created;
    }

    public static OnboardingPlan Build(PlanTemplate template, Project project, DateOnly kickoff, DateTimeOffset now)
    {
        var plan = new OnboardingPlan
        {
            ProjectId = project.Id,
            Project = project,
            TemplateId = template.Id!,
            KickoffDate = kickoff,
            State = PlanState.Active,
            CreatedAt = now,
            SuccessCriteria = [.. template.SuccessCriteria.SelectMany(g => g.Criteria)],
            HandoffCriteria = [.. template.Handoff!.Criteria],
        };
        for (var p = 0; p < template.Phases.Count; p++)
        {
            var source = template.Phases[p];
            var phase = new PlanPhase
            {
                Plan = plan,
                Order = p,
                Name = source.Name!,
                StartDay = source.StartDay,
                EndDay = source.EndDay,
                Status = p == 0 ? PhaseStatus.Active : PhaseStatus.Upcoming,
                Targets = [.. source.Targets.Select(t => new PhaseTarget { Name = t.Name!, Goal = t.Goal! })],
            };
            phase.Items.AddRange(source.Items.Select((item, i) => new ChecklistItem
            {
                Phase = phase,
                Order = i,
                Title = item.Title!,
                Detail = item.Details.Count == 0 ? null : string.Join("; ", item.Details),
                OwnerRole = StoredText.Parse<Role>(item.Role!),
                DueDay = item.DueDay,
            }));
            plan.Phases.Add(phase);
        }
        return plan;
    }

    public async Task<OnboardingOutcome> SetKickoffAsync(Caller caller, string? customerText, string? dateText, CancellationToken cancellationToken)
    {
        if (!caller.HasAny(Role.Manager, Role.Csm))
        {
            return new OnboardingOutcome.Refused("Only a Manager or a CSM can set a kickoff date.");
        }
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var kickoff))
        {
            return new OnboardingOutcome.Refused($"\"{dateText}\" is not a date: use `kickoff {{customer}} {{date}}` with the date as yyyy-mm-dd.");
        }
        var name = (customerText ?? "").Trim();
        if (name.Length == 0)
        {
            return new OnboardingOutcome.Refused("Say which customer: `kickoff {customer} {date}` with the date as yyyy-mm-dd.");
        }
        var plans = await db.OnboardingPlans.Include(p => p.Project).ThenInclude(p => p.Engagement).ThenInclude(e => e.Customer)
            .Where(p => p.State == PlanState.Active && p.TemplateId == ProjectKinds.Onboarding90Day)
            .ToListAsync(cancellationToken);
        var matches = MatchCustomer(plans, p => p.Project.Engagement.Customer.Name, name);
        var customers = matches.Select(p => p.Project.Engagement.Customer.Name).Distinct().ToList();
        if (customers.Count == 0)
        {
            return new OnboardingOutcome.Refused($"No customer starting with \"{name}\" has an active onboarding plan.");
        }
        if (customers.Count > 1)
        {
            return new OnboardingOutcome.Refused($"\"{name}\" matches {string.Join(", ", customers)}: type more of the name.");
        }

        foreach (var plan in matches)
        {
            var before = plan.KickoffDate;
            plan.KickoffDate = kickoff;
            audit.Record(new AuditActor(caller.AadObjectId, caller.Name), AuditSource.Command, "onboarding-kickoff-set",
                nameof(OnboardingPlan), plan.Id.ToString(), new { kickoff = before }, new { kickoff });
        }
        await db.SaveChangesAsync(cancellationToken);
        return new OnboardingOutcome.Done(
            $"Kickoff for {customers[0]} set to {kickoff:d MMM yyyy}; the pre-kickoff week starts {kickoff.AddDays(-7):d MMM} and day 90 is {kickoff.AddDays(89):d MMM yyyy}.");
    }

    /// <summary>`done {item} [for {customer}]`: completes the one open item or deliverable that matches, or offers a pick list.</summary>
    public async Task<OnboardingOutcome> DoneAsync(Caller caller, string? itemText, string? customerText, CancellationToken cancellationToken)
    {
        var query = Normalize(itemText ?? "");
        if (query.Length == 0)
        {
            return new OnboardingOutcome.Refused("Say what is done: `done {item} [for {customer}]`.");
        }
        var plans = await CallersPlansAsync(caller, cancellationToken);
        if (!string.IsNullOrWhiteSpace(customerText))
        {
            plans = MatchCustomer(plans, p => p.Project.Engagement.Customer.Name, customerText.Trim());
        }
        var work = plans.SelectMany(WorkOf).ToList();
        var exact = work.Where(w => Normalize(w.Title) == query).ToList();
        var candidates = exact.Count > 0 ? exact : [.. work.Where(w => Matches(Normalize(w.Title), query))];
        var open = candidates.Where(w => !w.Done).ToList();
        if (open.Count == 0)
        {
            return candidates.Count > 0
                ? new OnboardingOutcome.Done($"\"{candidates[0].Title}\" for {candidates[0].Customer} is already done.")
                : new OnboardingOutcome.Refused(plans.Count == 0
                    ? "You have no active onboarding plans" + (customerText is null ? "." : $" for \"{customerText}\".")
                    : $"Nothing in your plans matches \"{itemText}\". Try part of the item's name, or add `for {{customer}}`.");
        }
        if (open.Count > 1)
        {
            return new OnboardingOutcome.PickOne(itemText!, [.. open.Take(MaxPickList)]);
        }
        return await CompleteAsync(caller, open[0].Kind, open[0].Id, AuditSource.Command, cancellationToken);
    }

    /// <summary>Completes one checklist item or deliverable (the `tickItem` card action and the single `done` match).</summary>
    public async Task<OnboardingOutcome> CompleteAsync(Caller caller, string kind, Guid id, AuditSource source, CancellationToken cancellationToken)
    {
        var plan = kind switch
        {
            PlanWork.ItemKind => await db.PlanGraphs().SingleOrDefaultAsync(p => p.Phases.Any(ph => ph.Items.Any(i => i.Id == id)), cancellationToken),
            PlanWork.DeliverableKind => await db.PlanGraphs().SingleOrDefaultAsync(p => p.Project.Deliverables.Any(d => d.Id == id), cancellationToken),
            _ => null,
        };
        if (plan is null)
        {
            return new OnboardingOutcome.Refused("That item no longer exists.");
        }
        if (!MayWorkOn(caller, plan))
        {
            return new OnboardingOutcome.Refused($"Only the people on {plan.Project.Engagement.Customer.Name}'s engagement (or a Manager) can tick its items.");
        }
        var now = clock.GetUtcNow();
        var actor = new AuditActor(caller.AadObjectId, caller.Name);
        string title;
        if (kind == PlanWork.ItemKind)
        {
            var item = plan.Phases.SelectMany(p => p.Items).Single(i => i.Id == id);
            title = item.Title;
            if (item.IsDone)
            {
                return new OnboardingOutcome.Done($"\"{item.Title}\" was already done ({item.DoneByName}). Progress {PlanProgress.PercentOf(plan)}%.");
            }
            item.DoneAt = now;
            item.DoneByAadObjectId = caller.AadObjectId;
            item.DoneByName = caller.Name;
            audit.Record(actor, source, "checklist-item-done", nameof(ChecklistItem), item.Id.ToString(), new { done = false }, new { done = true });
        }
        else
        {
            var deliverable = plan.Project.Deliverables.Single(d => d.Id == id);
            title = deliverable.Title;
            if (deliverable.Status == DeliverableStatus.Completed)
            {
                return new OnboardingOutcome.Done($"\"{deliverable.Title}\" was already completed. Progress {PlanProgress.PercentOf(plan)}%.");
            }
            var before = StoredText.Of(deliverable.Status);
            deliverable.Status = DeliverableStatus.Completed;
            deliverable.CompletedAt = now;
            deliverable.UpdatedAt = now;
            if (deliverable.IsBlocked)
            {
                deliverable.Unblock(now);
            }
            audit.Record(actor, source, "deliverable-completed", nameof(Deliverable), deliverable.Id.ToString(),
                new { status = before }, new { status = StoredText.Of(DeliverableStatus.Completed) });
        }
        await db.SaveChangesAsync(cancellationToken);
        return new OnboardingOutcome.Done($"✅ \"{title}\" done for {plan.Project.Engagement.Customer.Name}. Plan progress: {PlanProgress.PercentOf(plan)}%.");
    }

    public static IEnumerable<PlanWork> WorkOf(OnboardingPlan plan)
    {
        var customer = plan.Project.Engagement.Customer.Name;
        return plan.Phases.OrderBy(p => p.Order).SelectMany(p => p.Items.OrderBy(i => i.Order))
            .Select(i => new PlanWork(PlanWork.ItemKind, i.Id, i.Title, customer, PlanProgress.DueDateOf(plan, i), i.IsDone))
            .Concat(plan.Project.Deliverables.OrderBy(d => d.SortOrder)
                .Select(d => new PlanWork(PlanWork.DeliverableKind, d.Id, d.Title, customer, d.DueDate, d.Status == DeliverableStatus.Completed)));
    }

    // Managers and admins see every plan; everyone else the plans of engagements they are on.
    private async Task<List<OnboardingPlan>> CallersPlansAsync(Caller caller, CancellationToken cancellationToken)
    {
        var plans = await db.PlanGraphs().Where(p => p.State == PlanState.Active).ToListAsync(cancellationToken);
        return [.. plans.Where(p => MayWorkOn(caller, p))];
    }

    private static bool MayWorkOn(Caller caller, OnboardingPlan plan) =>
        caller.HasAny(Role.Manager, Role.Admin)
        || (caller.AadObjectId is { } aad && PlanQueries.PeopleOf(plan).Contains(aad, StringComparer.OrdinalIgnoreCase));

    internal static List<T> MatchCustomer<T>(IEnumerable<T> rows, Func<T, string> nameOf, string typed)
    {
        var list = rows.ToList();
        var exact = list.Where(r => string.Equals(nameOf(r), typed, StringComparison.OrdinalIgnoreCase)).ToList();
        return exact.Count > 0 ? exact : [.. list.Where(r => nameOf(r).StartsWith(typed, StringComparison.OrdinalIgnoreCase))];
    }

    // A typed name matches when it is part of the title, or close to it (typos), word for word.
    private static bool Matches(string title, string query) =>
        title.Contains(query, StringComparison.Ordinal)
        || EditDistance.Between(title, query) <= Math.Max(1, query.Length / 6)
        || (query.Length >= 4 && title.Split(' ').Any(word => word.Length >= 4 && EditDistance.Between(word, query) <= 1));

    private static string Normalize(string text) => NonWord().Replace(text.ToLowerInvariant(), " ").Trim();

    private async Task<bool> AllPlansExistAsync(Guid engagementId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return !await db.Projects.AnyAsync(p => p.EngagementId == engagementId && p.Plan == null
            && (p.Kind == ProjectKinds.Onboarding90Day || p.Kind == ProjectKinds.ProfessionalServices), cancellationToken);
    }

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex NonWord();

    [LoggerMessage(LogLevel.Information, "Project {ProjectId} of kind {Kind} has no plan template; no plan created")]
    private partial void LogNoTemplate(Guid projectId, string kind);
}

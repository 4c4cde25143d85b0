using System.Globalization;
using System.Net;
using System.Text;
using Engagements.Alerts;
using Engagements.Audit;
using Engagements.Bot;
using Engagements.Cards;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Health;
using Engagements.Links;
using Engagements.Mail;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Playbooks;

public sealed class PlaybookOptions
{
    // Quartz cron (with seconds): daily at 07:00 UTC.
    public string Cron { get; set; } = "0 0 7 * * ?";
    public int SurveyLinkDays { get; set; } = 30;
    public int UnsubscribeLinkDays { get; set; } = 365;
    public int BatchSize { get; set; } = 200;
}

public sealed class RenewalOptions
{
    // Days before an engagement ends that the renewal playbook starts the renewal conversation.
    public int LeadDays { get; set; } = 90;
}

/// <summary>Runs every playbook of templates/playbooks.json against every customer, in batches. One SaveChanges per customer.</summary>
public sealed partial class PlaybookRunner(
    EngagementsDb db, PlaybookCatalog catalog, OutboxWriter outbox, AlertService alerts, AuditLog audit, CardCatalog cards,
    SignedLinks links, TimeProvider clock, IOptionsMonitor<PlaybookOptions> options, IOptionsMonitor<RenewalOptions> renewal,
    IOptionsMonitor<HealthOptions> health, ILogger<PlaybookRunner> logger)
{
    public const string SurveyPurpose = "survey";
    public const string UnsubscribePurpose = "unsubscribe";

    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var currentVersion = await CurrentVersionAsync(cancellationToken);
        var ids = await db.Customers.AsNoTracking().Where(c => c.Lifecycle != LifecycleStage.Churned).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(cancellationToken);
        var runs = 0;
        foreach (var chunk in ids.Chunk(Math.Max(1, options.CurrentValue.BatchSize)))
        {
            var facts = await FactsAsync(chunk, today, cancellationToken);
            foreach (var customerId in chunk)
            {
                runs += await RunForAsync(facts[customerId], currentVersion, now, today, cancellationToken);
            }
        }

        LogRan(runs, catalog.All.Count);
        return runs;
    }

    private async Task<int> RunForAsync(CustomerFacts facts, string? currentVersion, DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var runs = 0;
        var customer = await db.Customers.SingleAsync(c => c.Id == facts.CustomerId, cancellationToken);
        foreach (var playbook in catalog.All)
        {
            if (!Triggered(playbook.Trigger, customer, facts, currentVersion, today))
            {
                continue;
            }

            var key = EnrolmentKey(playbook.Limit, facts, customer, currentVersion, today);
            if (!await MayEnrolAsync(playbook, customer.Id, key, now, cancellationToken))
            {
                continue;
            }

            var run = new PlaybookRun { PlaybookId = playbook.Id, CustomerId = customer.Id, EnrolmentKey = key, RunAt = now, Outcome = PlaybookOutcome.Completed };
            db.PlaybookRuns.Add(run);
            foreach (var action in playbook.Actions)
            {
                await ActAsync(playbook, action, run, customer, facts, currentVersion, cancellationToken);
            }

            audit.Record(AuditActor.Job(nameof(PlaybookJob)), AuditSource.Job, "playbook.run", nameof(PlaybookRun), run.Id.ToString(),
                after: new { playbook = playbook.Id, customer = customer.Name, outcome = StoredText.Of(run.Outcome), run.Detail });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                runs++;
            }
            catch (DbUpdateException)
            {
                // Another instance enrolled this customer at the same moment (unique playbook+customer+key): theirs stands.
                LogEnrolConflict(playbook.Id, facts.CustomerId);
                db.ChangeTracker.Clear();
                customer = await db.Customers.SingleAsync(c => c.Id == facts.CustomerId, cancellationToken);
            }
        }

        return runs;
    }

    internal static bool Triggered(PlaybookTrigger trigger, Customer customer, CustomerFacts facts, string? currentVersion, DateOnly today)
    {
        if (trigger.Lifecycle is { Count: > 0 } stages && !stages.Any(s => StoredText.TryParse<LifecycleStage>(s, out var stage) && stage == customer.Lifecycle))
        {
            return false;
        }

        if (trigger.Segment is { Count: > 0 } segments && !segments.Any(s => StoredText.TryParse<CustomerSegment>(s, out var segment) && segment == customer.Segment))
        {
            return false;
        }

        if (trigger.DaysSinceKickoff is { } range && (facts.KickoffDate is not { } kickoff || !range.Contains(today.DayNumber - kickoff.DayNumber)))
        {
            return false;
        }

        return trigger.Event switch
        {
            null => true,
            "product-release" => customer.ProductVersion is { } mine && currentVersion is not null && HealthCalculator.MinorsBehind(mine, currentVersion) > 0,
            "engagement-ending" => facts.EngagementEnd is { } end && end.DayNumber - today.DayNumber is var left && left >= 0 && left <= facts.RenewalLeadDays,
            _ => false,
        };
    }

    internal static string EnrolmentKey(PlaybookLimit limit, CustomerFacts facts, Customer customer, string? currentVersion, DateOnly today) =>
        !limit.Once ? "day:" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : limit.Per switch
        {
            "engagement" => $"engagement:{facts.EngagementId:N}",
            "version" => "version:" + (currentVersion ?? customer.ProductVersion ?? "unknown"),
            _ => "once",
        };

    private async Task<bool> MayEnrolAsync(PlaybookDefinition playbook, Guid customerId, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.PlaybookRuns.AnyAsync(r => r.PlaybookId == playbook.Id && r.CustomerId == customerId && r.EnrolmentKey == key, cancellationToken))
        {
            return false;
        }

        if (playbook.Limit.Once)
        {
            return true;
        }

        var since = now.AddDays(-playbook.Limit.EveryDays);
        var recent = await db.PlaybookRuns.CountAsync(r => r.PlaybookId == playbook.Id && r.CustomerId == customerId && r.RunAt > since, cancellationToken);
        return recent < playbook.Limit.Times;
    }

    private async Task ActAsync(
        PlaybookDefinition playbook, PlaybookAction action, PlaybookRun run, Customer customer, CustomerFacts facts, string? currentVersion,
        CancellationToken cancellationToken)
    {
        var values = Placeholders(customer, facts, currentVersion);
        switch (action.Type)
        {
            case PlaybookActionTypes.Email:
                await EmailAsync(playbook, action, run, customer, values, cancellationToken);
                break;

            case PlaybookActionTypes.Card:
                await CardAsync(action, run, customer, facts, values, cancellationToken);
                break;

            case PlaybookActionTypes.Alert:
                await alerts.RaiseAsync(
                    StoredText.TryParse<AlertKind>(action.Kind, out var kind) ? kind : AlertKind.EarlyWarning, customer.Id,
                    Fill(action.Reason ?? playbook.Name, values, html: false),
                    StoredText.TryParse<AlertSeverity>(action.Severity, out var severity) ? severity : AlertSeverity.Info, null, cancellationToken);
                break;

            case PlaybookActionTypes.SetLifecycle when StoredText.TryParse<LifecycleStage>(action.Stage, out var stage) && customer.Lifecycle != stage:
                audit.Record(AuditActor.Job(nameof(PlaybookJob)), AuditSource.Job, "customer.lifecycle", nameof(Customer), customer.Id.ToString(),
                    new { lifecycle = StoredText.Of(customer.Lifecycle) }, new { lifecycle = StoredText.Of(stage) }, $"Playbook {playbook.Id}");
                customer.Lifecycle = stage;
                customer.UpdatedAt = clock.GetUtcNow();
                break;

            case PlaybookActionTypes.SetSegment:
                var segment = SegmentOf(customer);
                if (segment != customer.Segment)
                {
                    audit.Record(AuditActor.Job(nameof(PlaybookJob)), AuditSource.Job, "customer.segment", nameof(Customer), customer.Id.ToString(),
                        new { segment = StoredText.Of(customer.Segment) }, new { segment = StoredText.Of(segment) }, $"Playbook {playbook.Id}");
                    customer.Segment = segment;
                    customer.UpdatedAt = clock.GetUtcNow();
                }

                break;
        }
    }

    // Signed-link subjects: fixed-width ids first, so the free-text email can come last and contain anything.
    internal static string SurveySubject(Guid runId, Guid customerId, int score) => $"{runId:N}{customerId:N}{score}";

    internal static string UnsubscribeSubject(Guid customerId, string email, string playbookId) => $"{customerId:N}{playbookId.Length:D2}{playbookId}{email}";

    // Seed 004 segmentation: digital-scaled support means Scaled; otherwise by seats purchased.
    internal static CustomerSegment SegmentOf(Customer customer) =>
        customer.SupportLevel?.Contains("scaled", StringComparison.OrdinalIgnoreCase) == true ? CustomerSegment.Scaled
        : customer.SeatsPurchased >= 5000 ? CustomerSegment.Strategic
        : customer.SeatsPurchased >= 1000 ? CustomerSegment.Enterprise
        : customer.SeatsPurchased >= 250 ? CustomerSegment.MidMarket
        : CustomerSegment.Smb;

    private async Task EmailAsync(PlaybookDefinition playbook, PlaybookAction action, PlaybookRun run, Customer customer, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        var toCustomer = action.To != "csm";
        var to = toCustomer ? customer.ContactEmail : customer.CsmEmail;
        if (string.IsNullOrWhiteSpace(to))
        {
            run.Outcome = PlaybookOutcome.SkippedNoContact;
            run.Detail = toCustomer ? "The customer has no primary contact email." : "The customer has no CSM email.";
            return;
        }

        var address = to.Trim().ToLowerInvariant();
        if (toCustomer && await db.EmailUnsubscribes.AnyAsync(u => u.Email == address, cancellationToken))
        {
            run.Outcome = PlaybookOutcome.SkippedUnsubscribed;
            run.Detail = "The contact unsubscribed.";
            return;
        }

        var body = new StringBuilder(Fill(action.Body ?? "", values, html: true));
        if (action.Survey)
        {
            body.Append("<p>");
            for (var score = 0; score <= 10; score++)
            {
                var link = links.CreateLink("survey", SurveyPurpose, SurveySubject(run.Id, customer.Id, score), TimeSpan.FromDays(options.CurrentValue.SurveyLinkDays));
                body.Append(CultureInfo.InvariantCulture, $"<a href=\"{WebUtility.HtmlEncode(link.AbsoluteUri)}\">{score}</a> ");
            }

            body.Append("</p><p><small>0 = not at all likely, 10 = extremely likely</small></p>");
        }

        if (toCustomer)
        {
            var unsubscribe = links.CreateLink("unsubscribe", UnsubscribePurpose, UnsubscribeSubject(customer.Id, address, playbook.Id), TimeSpan.FromDays(options.CurrentValue.UnsubscribeLinkDays));
            body.Append(CultureInfo.InvariantCulture, $"<hr><p><small>You receive this as {WebUtility.HtmlEncode(address)}. <a href=\"{WebUtility.HtmlEncode(unsubscribe.AbsoluteUri)}\">Unsubscribe</a> with one click.</small></p>");
        }

        outbox.SendEmail(new EmailMessage([to.Trim()], [], Fill(action.Subject ?? playbook.Name, values, html: false), body.ToString(), playbook.Id),
            $"playbook:{run.Id:N}:email", Related.To<PlaybookRun>(run.Id));
    }

    private async Task CardAsync(PlaybookAction action, PlaybookRun run, Customer customer, CustomerFacts facts, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var roleName in action.Roles ?? [])
        {
            if (!Enum.TryParse<Role>(roleName, ignoreCase: true, out var role))
            {
                continue;
            }

            var direct = role switch
            {
                Role.Csm => customer.CsmAadObjectId,
                Role.Manager => facts.ManagerAadObjectId,
                _ => null,
            };
            if (direct is not null)
            {
                recipients.Add(direct);
                continue;
            }

            recipients.UnionWith(await db.RoleAssignments.Where(r => r.Role == role).Select(r => r.AadObjectId).ToListAsync(cancellationToken));
        }

        var card = cards.Render("message", new { title = Fill(action.Title ?? "", values, html: false), text = Fill(action.Text ?? "", values, html: false), style = "default" });
        foreach (var recipient in recipients.Order(StringComparer.Ordinal))
        {
            outbox.SendToUser(recipient, Messages.Card(card), $"playbook:{run.Id:N}:card:{recipient}", Related.To<PlaybookRun>(run.Id));
        }

        if (recipients.Count == 0)
        {
            run.Detail = "Nobody holds the role the card is for.";
        }
    }

    private Dictionary<string, string> Placeholders(Customer customer, CustomerFacts facts, string? currentVersion) => new()
    {
        ["customer"] = customer.Name,
        ["contact"] = customer.ContactName ?? "there",
        ["csm"] = customer.CsmName ?? "your Customer Success Manager",
        ["currentVersion"] = currentVersion ?? "",
        ["customerVersion"] = customer.ProductVersion ?? "an earlier version",
        ["engagementEnd"] = facts.EngagementEnd?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? "",
        ["healthScore"] = facts.HealthScore?.ToString(CultureInfo.InvariantCulture) ?? "not scored yet",
        ["healthBand"] = facts.HealthBand is { } band ? StoredText.Of(band).ToLowerInvariant() : "no band",
    };

    // Templates are trusted data; every value put into them is HTML-encoded for email bodies.
    internal static string Fill(string template, IReadOnlyDictionary<string, string> values, bool html)
    {
        var text = template;
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", html ? WebUtility.HtmlEncode(value) : value, StringComparison.Ordinal);
        }

        return text;
    }

    private async Task<Dictionary<Guid, CustomerFacts>> FactsAsync(Guid[] ids, DateOnly today, CancellationToken cancellationToken)
    {
        var kickoffs = await db.OnboardingPlans.AsNoTracking()
            .Where(p => p.State != PlanState.Cancelled && ids.Contains(p.Project.Engagement.CustomerId))
            .Select(p => new { p.Project.Engagement.CustomerId, p.KickoffDate })
            .ToListAsync(cancellationToken);
        var engagements = await db.Engagements.AsNoTracking()
            .Where(e => ids.Contains(e.CustomerId) && e.Status != EngagementStatus.Completed && e.Status != EngagementStatus.Cancelled)
            .Select(e => new { e.CustomerId, e.Id, e.EndDate, e.ManagerAadObjectId })
            .ToListAsync(cancellationToken);
        var snapshots = await db.HealthSnapshots.AsNoTracking()
            .Where(s => ids.Contains(s.CustomerId) && s.Day >= today.AddDays(-7))
            .Select(s => new { s.CustomerId, s.Day, s.Score, s.Band })
            .ToListAsync(cancellationToken);
        var lead = renewal.CurrentValue.LeadDays;
        return ids.ToDictionary(id => id, id =>
        {
            var engagement = engagements.Where(e => e.CustomerId == id).OrderBy(e => e.EndDate).FirstOrDefault();
            var snapshot = snapshots.Where(s => s.CustomerId == id).MaxBy(s => s.Day);
            return new CustomerFacts(
                id,
                kickoffs.Where(k => k.CustomerId == id).Select(k => (DateOnly?)k.KickoffDate).Max(),
                engagement?.Id, engagement?.EndDate, engagement?.ManagerAadObjectId, lead, snapshot?.Score, snapshot?.Band);
        });
    }

    private async Task<string?> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        if (health.CurrentValue.CurrentProductVersion is { Length: > 0 } configured)
        {
            return configured;
        }

        var versions = await db.Customers.Where(c => c.ProductVersion != null).Select(c => c.ProductVersion!).Distinct().ToListAsync(cancellationToken);
        return versions.Select(v => (Text: v, Ok: HealthCalculator.TryParse(v, out var parsed), Parsed: parsed)).Where(v => v.Ok).MaxBy(v => v.Parsed).Text;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playbook {PlaybookId} for customer {CustomerId} was not saved: a concurrent run enrolled it first")]
    private partial void LogEnrolConflict(string playbookId, Guid customerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playbooks: {Runs} runs across {Playbooks} playbooks")]
    private partial void LogRan(int runs, int playbooks);
}

public sealed record CustomerFacts(
    Guid CustomerId, DateOnly? KickoffDate, Guid? EngagementId, DateOnly? EngagementEnd, string? ManagerAadObjectId, int RenewalLeadDays,
    int? HealthScore, HealthBand? HealthBand);

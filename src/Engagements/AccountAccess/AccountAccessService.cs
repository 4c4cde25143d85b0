using Engagements.Audit;
using Engagements.BotFramework.Schema;
using Engagements.Bot;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Outbox;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.AccountAccess;

public sealed record AccountAccessSummary(int Open, int Verified, int Failing, TimeSpan? MedianTimeToAccess);

public sealed record DailyRunResult(int Sent, int TicketsPrepared, int EscalatedToTeamLead, int EscalatedToCsm);

/// <summary>
/// Seed 002 run by the bot: requests created per access-list entry when an engineer is assigned, sent on the engineer's
/// start date (email or ticket), verified or reported failing by the engineer, escalated to the team lead and then the CSM.
/// </summary>
public sealed partial class AccountAccessService(
    EngagementsDb db,
    OutboxWriter outbox,
    AuditLog audit,
    AccountRequestMessages messages,
    TimeProvider clock,
    IOptionsMonitor<AccountAccessOptions> options,
    RoleService roles,
    ILogger<AccountAccessService> logger)
{
    private BusinessDays BusinessDays => new(options.CurrentValue.Holidays);

    private DateTimeOffset Now => clock.GetUtcNow();

    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>Creates the engineer's requests for every access-list entry of the engagement's customer, and saves.</summary>
    public async Task<IReadOnlyList<AccountRequest>> CreateRequestsForAssignmentAsync(Guid engagementId, Guid engineerId, CancellationToken cancellationToken)
    {
        var created = await AddRequestsForAssignmentAsync(engagementId, engineerId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// Adds the requests (and, when the engineer has already started, their emails or ticket cards) to the scoped
    /// DbContext without saving, so an approval saves them in its own SaveChanges. Repeating it adds nothing.
    /// </summary>
    public async Task<IReadOnlyList<AccountRequest>> AddRequestsForAssignmentAsync(Guid engagementId, Guid engineerId, CancellationToken cancellationToken)
    {
        // Find, not a query: the approval may call this before its engagement assignment is saved.
        var engagement = await db.Engagements.FindAsync([engagementId], cancellationToken)
            ?? throw new ArgumentException($"No engagement {engagementId}", nameof(engagementId));
        var engineer = await db.Engineers.FindAsync([engineerId], cancellationToken)
            ?? throw new ArgumentException($"No engineer {engineerId}", nameof(engineerId));
        var customer = await db.Customers.FindAsync([engagement.CustomerId], cancellationToken)
            ?? throw new InvalidOperationException($"Engagement {engagementId} has no customer");
        var entries = await db.AccessListEntries.Where(e => e.CustomerId == customer.Id).OrderBy(e => e.System).ToListAsync(cancellationToken);
        var existing = (await db.AccountRequests
                .Where(r => r.EngagementId == engagementId && r.EngineerId == engineerId)
                .Select(r => r.AccessListEntryId)
                .ToListAsync(cancellationToken))
            .Concat(db.AccountRequests.Local.Where(r => r.EngagementId == engagementId && r.EngineerId == engineerId).Select(r => r.AccessListEntryId))
            .ToHashSet();

        var now = Now;
        var created = new List<AccountRequest>();
        foreach (var entry in entries.Where(e => !existing.Contains(e.Id)))
        {
            var request = new AccountRequest
            {
                EngagementId = engagement.Id, Engagement = engagement, CustomerId = customer.Id, Customer = customer,
                EngineerId = engineer.Id, Engineer = engineer, AccessListEntryId = entry.Id, AccessListEntry = entry,
                System = entry.System, Status = AccountRequestStatus.Scheduled, NotBefore = engineer.StartDate,
                CreatedAt = now, UpdatedAt = now,
            };
            db.AccountRequests.Add(request);
            audit.Record(AuditActor.System, AuditSource.System, "account-request-created", nameof(AccountRequest), request.Id.ToString(),
                after: new { customer = customer.Name, request.System, engineer = engineer.Name, request.NotBefore });
            created.Add(request);
        }

        foreach (var request in created.Where(r => r.NotBefore <= Today))
        {
            await SendAsync(request, cancellationToken);
        }

        return created;
    }

    /// <summary>The daily job: sends requests whose start date has come, then escalates overdue ones. Each request is its own transaction.</summary>
    public async Task<DailyRunResult> RunDailyAsync(CancellationToken cancellationToken)
    {
        var today = Today;
        int sent = 0, tickets = 0, toTeamLead = 0, toCsm = 0;

        var due = await db.AccountRequests
            .Where(r => r.Status == AccountRequestStatus.Scheduled && r.RequestDate == null && r.NotBefore <= today)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            await WithRequestAsync(id, async request =>
            {
                if (request.Status != AccountRequestStatus.Scheduled || request.RequestDate is not null)
                {
                    return;
                }

                await SendAsync(request, cancellationToken);
                _ = request.AccessListEntry.Method == CommunicationMethod.Email ? sent++ : tickets++;
            }, cancellationToken);
        }

        var open = AccountRequest.OpenStatuses;
        var overdue = await db.AccountRequests
            .Where(r => open.Contains(r.Status) && r.ExpectedBy != null && r.ExpectedBy < today)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
        var grace = options.CurrentValue.CsmGraceDays;
        foreach (var id in overdue)
        {
            await WithRequestAsync(id, async request =>
            {
                if (!request.IsOpen || request.ExpectedBy is not { } expectedBy)
                {
                    return;
                }

                var businessDaysLate = BusinessDays.Between(expectedBy, today);
                if (businessDaysLate >= 1 && !request.FollowUps.Any(f => f.Kind == FollowUpKind.EscalatedToTeamLead))
                {
                    await EscalateToTeamLeadAsync(request, EscalationKind.OverdueToTeamLead,
                        $"No working account {Plural(businessDaysLate, "business day")} after the expected date ({AccountRequestMessages.Day(expectedBy)}).", null, cancellationToken);
                    toTeamLead++;
                }

                if (businessDaysLate > grace && !request.FollowUps.Any(f => f.Kind == FollowUpKind.EscalatedToCsm))
                {
                    await EscalateToCsmAsync(request,
                        $"Still no working account {Plural(businessDaysLate, "business day")} after the expected date; the team lead was told {Plural(businessDaysLate - 1, "business day")} ago.", cancellationToken);
                    toCsm++;
                }
            }, cancellationToken);
        }

        LogDailyRun(sent, tickets, toTeamLead, toCsm);
        return new DailyRunResult(sent, tickets, toTeamLead, toCsm);
    }

    /// <summary>The engineer says the account works: the request is closed with its time to access.</summary>
    public async Task VerifyAsync(AccountRequest request, AuditActor actor, AuditSource source, CancellationToken cancellationToken)
    {
        var before = StoredText.Of(request.Status);
        request.Status = AccountRequestStatus.Verified;
        request.VerifiedAt = Now;
        request.FailureReason = null;
        request.UpdatedAt = Now;
        AddFollowUp(request, FollowUpKind.Verified, actor, null);
        audit.Record(actor, source, "account-verified", nameof(AccountRequest), request.Id.ToString(),
            new { status = before }, new { status = StoredText.Of(request.Status), request.VerifiedAt });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The engineer says the account does not work: failing, and the team lead hears of it at once (seed 002).</summary>
    public async Task ReportFailingAsync(AccountRequest request, string? reason, AuditActor actor, AuditSource source, CancellationToken cancellationToken)
    {
        var before = StoredText.Of(request.Status);
        var why = string.IsNullOrWhiteSpace(reason) ? "No reason given" : reason.Trim();
        request.Status = AccountRequestStatus.Failing;
        request.FailureReason = why.Length > 1000 ? why[..1000] : why;
        request.UpdatedAt = Now;
        var failing = AddFollowUp(request, FollowUpKind.Failing, actor, request.FailureReason);
        audit.Record(actor, source, "account-failing", nameof(AccountRequest), request.Id.ToString(),
            new { status = before }, new { status = StoredText.Of(request.Status), request.FailureReason });
        await EscalateToTeamLeadAsync(request, EscalationKind.NotWorking, $"{actor.Name} reports: {request.FailureReason}", failing.Id.ToString("N"), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public enum TicketFiledOutcome
    {
        Filed,
        AlreadyFiled,
        NotATicket,
    }

    /// <summary>The team lead filed the prepared ticket: the request counts as requested from now.</summary>
    public async Task<TicketFiledOutcome> MarkTicketFiledAsync(AccountRequest request, AuditActor actor, CancellationToken cancellationToken)
    {
        if (request.AccessListEntry.Method != CommunicationMethod.Ticket)
        {
            return TicketFiledOutcome.NotATicket;
        }

        if (request.FollowUps.Any(f => f.Kind == FollowUpKind.TicketFiled) || request.Status != AccountRequestStatus.Scheduled)
        {
            return TicketFiledOutcome.AlreadyFiled;
        }

        request.Status = AccountRequestStatus.Requested;
        request.RequestedAt = Now;
        request.RequestDate = Today;
        request.ExpectedBy = BusinessDays.Add(Today, request.AccessListEntry.ExpectedDaysToCreate);
        request.UpdatedAt = Now;
        AddFollowUp(request, FollowUpKind.TicketFiled, actor, null);
        audit.Record(actor, AuditSource.Card, "account-ticket-filed", nameof(AccountRequest), request.Id.ToString(),
            new { status = StoredText.Of(AccountRequestStatus.Scheduled) }, new { status = StoredText.Of(request.Status), request.ExpectedBy });

        // Every team lead got a copy of the ticket card; all copies show it filed, so nobody files it twice.
        var keyPrefix = $"account-request:{request.Id:N}:ticket";
        var posts = await db.OutboxMessages
            .Where(m => m.IdempotencyKey != null && m.IdempotencyKey.StartsWith(keyPrefix) && m.Kind != OutboxKind.UpdateActivity)
            .ToListAsync(cancellationToken);
        var filedCard = messages.TicketCard(request, actor.Name, Now);
        foreach (var post in posts)
        {
            outbox.UpdatePosted(post, Messages.Card(filedCard));
        }

        await db.SaveChangesAsync(cancellationToken);
        return TicketFiledOutcome.Filed;
    }

    public enum CustomerFollowUpOutcome
    {
        Sent,
        AlreadySent,
        NotOpen,
    }

    /// <summary>The CSM's one-click follow-up email to the customer contact; sent once per request.</summary>
    public async Task<CustomerFollowUpOutcome> SendCustomerFollowUpAsync(AccountRequest request, AuditActor actor, CancellationToken cancellationToken)
    {
        if (request.FollowUps.Any(f => f.Kind == FollowUpKind.CustomerFollowUpSent))
        {
            return CustomerFollowUpOutcome.AlreadySent;
        }

        if (!request.IsOpen)
        {
            return CustomerFollowUpOutcome.NotOpen;
        }

        var email = AccountRequestMessages.FollowUpEmail(request);
        outbox.SendEmail(email, $"account-request:{request.Id:N}:customer-follow-up", Related.To<AccountRequest>(request.Id));
        request.UpdatedAt = Now;
        AddFollowUp(request, FollowUpKind.CustomerFollowUpSent, actor, $"Follow-up email to {request.AccessListEntry.ContactTo}");
        audit.Record(actor, AuditSource.Card, "account-customer-follow-up-sent", nameof(AccountRequest), request.Id.ToString(),
            after: new { to = email.To, cc = email.Cc, email.Subject });
        await db.SaveChangesAsync(cancellationToken);
        return CustomerFollowUpOutcome.Sent;
    }

    /// <summary>For `status`: open (failing included), verified and failing counts, and the median time from request to working account.</summary>
    public async Task<AccountAccessSummary> SummaryForCustomerAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        var rows = await db.AccountRequests
            .Where(r => r.CustomerId == customerId)
            .Select(r => new { r.Status, r.RequestedAt, r.VerifiedAt })
            .ToListAsync(cancellationToken);
        var times = rows
            .Where(r => r.Status == AccountRequestStatus.Verified && r.RequestedAt is not null && r.VerifiedAt is not null)
            .Select(r => r.VerifiedAt!.Value - r.RequestedAt!.Value)
            .Order()
            .ToList();
        TimeSpan? median = times.Count == 0 ? null
            : times.Count % 2 == 1 ? times[times.Count / 2]
            : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2;
        return new AccountAccessSummary(
            rows.Count(r => AccountRequest.OpenStatuses.Contains(r.Status)),
            rows.Count(r => r.Status == AccountRequestStatus.Verified),
            rows.Count(r => r.Status == AccountRequestStatus.Failing),
            median);
    }

    public Task<AccountRequest?> FindAsync(Guid requestId, CancellationToken cancellationToken) =>
        WithDetails().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);

    public IQueryable<AccountRequest> WithDetails() => db.AccountRequests
        .Include(r => r.Customer)
        .Include(r => r.Engineer)
        .Include(r => r.AccessListEntry)
        .Include(r => r.FollowUps);

    private async Task SendAsync(AccountRequest request, CancellationToken cancellationToken)
    {
        var today = Today;
        request.RequestDate = today;
        request.ExpectedBy = BusinessDays.Add(today, request.AccessListEntry.ExpectedDaysToCreate);
        request.UpdatedAt = Now;
        if (request.AccessListEntry.Method == CommunicationMethod.Email)
        {
            var email = AccountRequestMessages.RequestEmail(request, options.CurrentValue.SmeCc);
            outbox.SendEmail(email, $"account-request:{request.Id:N}:email", Related.To<AccountRequest>(request.Id));
            request.Status = AccountRequestStatus.Requested;
            request.RequestedAt = Now;
            AddFollowUp(request, FollowUpKind.Sent, AuditActor.Job("account access"), $"Request email to {request.AccessListEntry.ContactTo}");
            audit.Record(AuditActor.Job("account access"), AuditSource.Job, "account-request-sent", nameof(AccountRequest), request.Id.ToString(),
                new { status = StoredText.Of(AccountRequestStatus.Scheduled) },
                new { status = StoredText.Of(request.Status), to = email.To, cc = email.Cc, email.Subject, request.ExpectedBy });
            return;
        }

        // A ticket needs a person to file it in the customer's tool; the clock starts now, "requested" when it is filed.
        var card = Messages.Card(messages.TicketCard(request));
        var where = await NotifyAsync(await TeamLeadsAsync(cancellationToken), card, $"account-request:{request.Id:N}:ticket", request, cancellationToken);
        AddFollowUp(request, FollowUpKind.TicketPrepared, AuditActor.Job("account access"), $"Ticket text sent to {where}");
        audit.Record(AuditActor.Job("account access"), AuditSource.Job, "account-ticket-prepared", nameof(AccountRequest), request.Id.ToString(),
            after: new { sentTo = where, request.ExpectedBy });
    }

    private async Task EscalateToTeamLeadAsync(AccountRequest request, EscalationKind kind, string reason, string? eventKey, CancellationToken cancellationToken)
    {
        var card = Messages.Card(messages.EscalationCard(request, kind, reason));
        var key = $"account-request:{request.Id:N}:tl-escalation" + (eventKey is null ? "" : ":" + eventKey);
        var where = await NotifyAsync(await TeamLeadsAsync(cancellationToken), card, key, request, cancellationToken);
        var before = StoredText.Of(request.Status);
        if (request.Status != AccountRequestStatus.Failing)
        {
            request.Status = AccountRequestStatus.EscalatedToTeamLead;
        }

        request.UpdatedAt = Now;
        AddFollowUp(request, FollowUpKind.EscalatedToTeamLead, AuditActor.Job("account access"), $"{reason} Sent to {where}.");
        audit.Record(AuditActor.Job("account access"), kind == EscalationKind.NotWorking ? AuditSource.Command : AuditSource.Job,
            "account-escalated-to-team-lead", nameof(AccountRequest), request.Id.ToString(),
            new { status = before }, new { status = StoredText.Of(request.Status), sentTo = where }, reason);
    }

    private async Task EscalateToCsmAsync(AccountRequest request, string reason, CancellationToken cancellationToken)
    {
        var csms = request.Customer.CsmAadObjectId is { Length: > 0 } owner ? [owner] : await HoldersOfAsync(Role.Csm, cancellationToken);
        var card = Messages.Card(messages.EscalationCard(request, EscalationKind.OverdueToCsm, reason));
        var where = await NotifyAsync(csms, card, $"account-request:{request.Id:N}:csm-escalation", request, cancellationToken);
        var before = StoredText.Of(request.Status);
        request.Status = AccountRequestStatus.EscalatedToCsm;
        request.UpdatedAt = Now;
        AddFollowUp(request, FollowUpKind.EscalatedToCsm, AuditActor.Job("account access"), $"{reason} Sent to {where}.");
        audit.Record(AuditActor.Job("account access"), AuditSource.Job, "account-escalated-to-csm", nameof(AccountRequest), request.Id.ToString(),
            new { status = before }, new { status = StoredText.Of(request.Status), sentTo = where }, reason);
    }

    // 1:1 to each recipient; with nobody to send to, the escalations channel; with no channel either, the row says so.
    private async Task<string> NotifyAsync(IReadOnlyList<string> recipients, Activity activity, string key, AccountRequest request, CancellationToken cancellationToken)
    {
        var related = Related.To<AccountRequest>(request.Id);
        foreach (var aad in recipients)
        {
            outbox.SendToUser(aad, activity, $"{key}:{aad}", related);
        }

        if (recipients.Count > 0)
        {
            return Plural(recipients.Count, "person", "people");
        }

        if (await outbox.PostToChannelAsync(ChannelPurpose.Escalations, activity, key, related, cancellationToken) is not null)
        {
            return "the escalations channel";
        }

        LogNobodyToTell(request.Id, key);
        return "nobody (no role holder and no escalations channel bound)";
    }

    private Task<IReadOnlyList<string>> TeamLeadsAsync(CancellationToken cancellationToken) => HoldersOfAsync(Role.TeamLead, cancellationToken);

    // In a stable order: the outbox keys and the order of the cards follow it.
    private async Task<IReadOnlyList<string>> HoldersOfAsync(Role role, CancellationToken cancellationToken) =>
        [.. (await roles.HoldersOfAsync(role, cancellationToken)).Order(StringComparer.Ordinal)];

    private AccountRequestFollowUp AddFollowUp(AccountRequest request, FollowUpKind kind, AuditActor actor, string? note)
    {
        var followUp = new AccountRequestFollowUp
        {
            AccountRequestId = request.Id, Kind = kind, At = Now, Note = note is { Length: > 2000 } ? note[..2000] : note,
            ActorAadObjectId = actor.AadObjectId, ActorName = actor.Name,
        };
        request.FollowUps.Add(followUp);
        db.AccountRequestFollowUps.Add(followUp);
        return followUp;
    }

    private async Task WithRequestAsync(Guid id, Func<AccountRequest, Task> change, CancellationToken cancellationToken)
    {
        var request = await FindAsync(id, cancellationToken);
        if (request is null)
        {
            return;
        }

        try
        {
            await change(request);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone (the engineer, a team lead) changed it meanwhile; the next run sees their state.
            LogConcurrentChange(id);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static string Plural(int count, string one, string? many = null) => count == 1 ? $"1 {one}" : $"{count} {many ?? one + "s"}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Account access run: {Sent} emails, {Tickets} tickets prepared, {TeamLead} escalated to team leads, {Csm} to CSMs")]
    private partial void LogDailyRun(int sent, int tickets, int teamLead, int csm);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account request {RequestId}: nobody to notify for {Intent}; grant the role or bind an escalations channel")]
    private partial void LogNobodyToTell(Guid requestId, string intent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account request {RequestId} changed concurrently; left for the next run")]
    private partial void LogConcurrentChange(Guid requestId);
}

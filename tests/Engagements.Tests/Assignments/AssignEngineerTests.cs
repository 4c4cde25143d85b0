using System.Text.Json.Nodes;
using Engagements.Assignments;
using Engagements.Conversations;
using Engagements.Delivery;
using Engagements.Outbox;
using Engagements.Roles;
using Engagements.Tests.Intake;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Assignments;

public class AssignEngineerTests
{
    private const string CardActivityId = "1:card-in-approvals";

    private static async Task<(IntakeApplication App, AssignmentRequest Request)> OpenedAsync(bool bindApprovals = true, bool deliverInBackground = true)
    {
        var app = new IntakeApplication();
        if (!deliverInBackground)
        {
            // The test delivers the outbox itself: a background pass holding a post would make its update wait on the fake clock.
            app.Settings["Outbox:BackgroundDelivery"] = "false";
        }
        await app.InitializeAsync();
        if (bindApprovals)
        {
            await app.BindAsync(ChannelPurpose.Approvals, TestActivities.ApprovalsChannelId);
        }
        var response = await app.PostOpportunityAsync(Opportunities.ClosedWon());
        var engagementId = Guid.Parse(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["engagementId"]!.GetValue<string>());
        var request = await app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.EngagementId == engagementId));
        return (app, request);
    }

    private static JsonObject Click(IntakeApplication app, string verb, AssignmentRequest request, TestUser user, Guid? engineer = null, string? reason = null)
    {
        var data = new JsonObject { ["assignmentRequestId"] = request.Id.ToString() };
        if (engineer is not null)
        {
            data["engineer"] = engineer.Value.ToString();
        }
        if (reason is not null)
        {
            data["reason"] = reason;
        }
        return TestActivities.Invoke(app.ServiceUrl, verb, data, CardActivityId, user, TestActivities.ApprovalsChannelId + ";messageid=" + CardActivityId);
    }

    private static string CardTextOf(JsonObject? invokeBody) => invokeBody?["value"].CardText() ?? "";

    [Fact]
    public async Task Suggestions_are_ranked_by_load_then_by_longest_since_last_assignment()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;

        var ranked = await app.QueryAsync(async db => await new EngineerRanking(db).RankAsync(CancellationToken.None));

        Assert.Equal(request.SuggestedEngineerIds, ranked.Take(EngineerRanking.SuggestionCount).Select(e => e.Id));
        for (var i = 1; i < ranked.Count; i++)
        {
            var (previous, current) = (ranked[i - 1], ranked[i]);
            Assert.True(previous.ActiveEngagements < current.ActiveEngagements
                || (previous.ActiveEngagements == current.ActiveEngagements
                    && (previous.LastAssignedAt ?? DateTimeOffset.MinValue) <= (current.LastAssignedAt ?? DateTimeOffset.MinValue)));
        }
        var card = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == AssignmentService.CardKey(request.Id)));
        var text = JsonNode.Parse(card.PayloadJson)!["attachments"]![0]!["content"].CardText();
        Assert.Contains($"{ranked[0].ActiveEngagements} active", text);
        Assert.Contains(ranked[0].TimeZone, text);
    }

    [Fact]
    public async Task A_manager_approving_assigns_the_engineer_updates_the_card_for_everyone_and_welcomes_engineer_and_customer()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        var engineerId = request.SuggestedEngineerIds[1];

        var (status, body) = await app.InvokeAsync(Click(app, AssignmentService.ApproveVerb, request, TestActivities.Alex, engineerId));

        Assert.Equal(200, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());
        var engineer = await app.QueryAsync(db => db.Engineers.SingleAsync(e => e.Id == engineerId));
        Assert.Contains($"Assigned to {engineer.Name} by Alex Wilber at 23 Nov 2026 09:00 UTC", CardTextOf(body));
        Assert.DoesNotContain("assignEngineer", body["value"]!.ToJsonString());

        var decided = await app.QueryAsync(db => db.AssignmentRequests.Include(r => r.Engagement).ThenInclude(e => e.Engineers).SingleAsync(r => r.Id == request.Id));
        Assert.Equal(AssignmentStatus.Approved, decided.Status);
        Assert.Equal(engineerId, decided.AssignedEngineerId);
        Assert.Equal(TestActivities.Alex.AadObjectId, decided.DecidedByAadObjectId);
        Assert.Equal(EngagementStatus.Active, decided.Engagement.Status);
        Assert.Equal(engineerId, Assert.Single(decided.Engagement.Engineers).EngineerId);
        Assert.All(await app.QueryAsync(db => db.Deliverables.Where(d => d.Project.EngagementId == decided.EngagementId).ToListAsync()),
            d => Assert.Equal(engineerId, d.OwnerId));

        var outbox = await app.QueryAsync(db => db.OutboxMessages.Where(m => m.IdempotencyKey!.StartsWith($"assignment:{request.Id}")).ToListAsync());
        var update = Assert.Single(outbox, m => m.Kind == OutboxKind.UpdateActivity);
        Assert.Equal(AssignmentService.CardKey(request.Id), update.UpdatesIdempotencyKey);
        Assert.Contains("Assigned to", JsonNode.Parse(update.PayloadJson)!["attachments"]![0]!["content"].CardText());
        var welcome = Assert.Single(outbox, m => m.Kind == OutboxKind.SendPersonal);
        Assert.Equal(engineer.AadObjectId, welcome.RecipientAadObjectId);
        Assert.Contains("Blue Yonder Airlines", JsonNode.Parse(welcome.PayloadJson)!["attachments"]![0]!["content"].CardText());
        var email = JsonNode.Parse(Assert.Single(outbox, m => m.Kind == OutboxKind.SendEmail).PayloadJson)!;
        Assert.Equal("jordan.miller@blueyonderairlines.com", email["to"]![0]!.GetValue<string>());
        Assert.Contains("adele.vance@engagements.example", email["cc"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains(engineer.Name, email["htmlBody"]!.GetValue<string>());
        Assert.Single(await app.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "assignment-approved" && a.EntityId == request.Id.ToString()).ToListAsync()));
    }

    [Fact]
    public async Task Someone_who_is_not_a_manager_gets_a_refusal_and_the_card_is_unchanged()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        var outboxBefore = await app.QueryAsync(db => db.OutboxMessages.CountAsync());

        var (status, body) = await app.InvokeAsync(Click(app, AssignmentService.ApproveVerb, request, TestActivities.Adele, request.SuggestedEngineerIds[0]));

        Assert.Equal(200, status);
        Assert.Equal("application/vnd.microsoft.activity.message", body!["type"]!.GetValue<string>());
        Assert.Contains("Only a manager", body["value"]!.GetValue<string>());
        Assert.Equal(AssignmentStatus.Pending, await app.QueryAsync(db => db.AssignmentRequests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));
        Assert.Equal(outboxBefore, await app.QueryAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Two_managers_clicking_at_once_settle_to_one_assignment_and_the_loser_sees_the_decided_card()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        await app.GrantAsync(TestActivities.Megan, Role.Manager);
        var (alexPick, meganPick) = (request.SuggestedEngineerIds[0], request.SuggestedEngineerIds[1]);

        var results = await Task.WhenAll(
            app.InvokeAsync(Click(app, AssignmentService.ApproveVerb, request, TestActivities.Alex, alexPick)),
            app.InvokeAsync(Click(app, AssignmentService.ApproveVerb, request, TestActivities.Megan, meganPick)));

        var decided = await app.QueryAsync(db => db.AssignmentRequests.Include(r => r.AssignedEngineer).SingleAsync(r => r.Id == request.Id));
        var winner = decided.DecidedByName;
        var expected = $"Assigned to {decided.AssignedEngineer!.Name} by {winner}";
        Assert.All(results, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.Equal("application/vnd.microsoft.card.adaptive", r.Body!["type"]!.GetValue<string>());
            Assert.Contains(expected, CardTextOf(r.Body));
        });
        Assert.Equal(winner == "Alex Wilber" ? alexPick : meganPick, decided.AssignedEngineerId);
        Assert.Equal(1, await app.QueryAsync(db => db.EngagementEngineers.CountAsync(e => e.EngagementId == decided.EngagementId)));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "assignment-approved" && a.EntityId == request.Id.ToString())));
        Assert.Equal(1, await app.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.IdempotencyKey == $"assignment:{request.Id}:welcome-engineer")));
    }

    [Fact]
    public async Task A_repeated_invoke_changes_nothing_and_answers_with_the_decided_card()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        var click = Click(app, AssignmentService.ApproveVerb, request, TestActivities.Alex, request.SuggestedEngineerIds[0]);
        await app.InvokeAsync(click);
        var snapshot = await app.QueryAsync(async db => (
            Outbox: await db.OutboxMessages.CountAsync(), Audit: await db.AuditEntries.CountAsync(),
            Version: await db.AssignmentRequests.Where(r => r.Id == request.Id).Select(r => r.Version).SingleAsync()));

        var (status, body) = await app.InvokeAsync(click.DeepClone().AsObject());

        Assert.Equal(200, status);
        Assert.Contains("Assigned to", CardTextOf(body));
        Assert.Equal(snapshot, await app.QueryAsync(async db => (
            Outbox: await db.OutboxMessages.CountAsync(), Audit: await db.AuditEntries.CountAsync(),
            Version: await db.AssignmentRequests.Where(r => r.Id == request.Id).Select(r => r.Version).SingleAsync())));
    }

    [Fact]
    public async Task A_manager_rejecting_records_it_and_the_card_says_so()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;

        var (_, body) = await app.InvokeAsync(Click(app, AssignmentService.RejectVerb, request, TestActivities.Alex));

        Assert.Contains("Rejected by Alex Wilber", CardTextOf(body));
        Assert.Equal(AssignmentStatus.Rejected, await app.QueryAsync(db => db.AssignmentRequests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "assignment-rejected")));
    }

    private static Task<AssignmentRequest> PendingAsync(IntakeApplication app, Guid engagementId) =>
        app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.EngagementId == engagementId && r.Status == AssignmentStatus.Pending));

    private static async Task RunFollowUpsAsync(IntakeApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AssignmentFollowUps>().RunAsync(CancellationToken.None);
    }

    private static string CardTextOf(OutboxMessage message) => JsonNode.Parse(message.PayloadJson)!["attachments"]![0]!["content"].CardText();

    [Fact]
    public async Task Rejecting_updates_the_card_in_place_and_posts_a_new_request_that_does_not_suggest_the_rejected_engineer_first()
    {
        var (app, request) = await OpenedAsync(deliverInBackground: false);
        await using var _ = app;
        var rejected = request.SuggestedEngineerIds[0];
        var rejectedName = await app.QueryAsync(db => db.Engineers.Where(e => e.Id == rejected).Select(e => e.Name).SingleAsync());

        // Teams sends the card's inputs: the selected engineer (the default, top suggestion) and the reason.
        var (status, body) = await app.InvokeAsync(Click(app, AssignmentService.RejectVerb, request, TestActivities.Alex, rejected, "Customer wants someone in their time zone"));

        Assert.Equal(200, status);
        var text = CardTextOf(body);
        Assert.Contains("Rejected by Alex Wilber at 23 Nov 2026 09:00 UTC", text);
        Assert.Contains($"Not {rejectedName}.", text);
        Assert.Contains("Customer wants someone in their time zone", text);
        Assert.Contains("A new Assign engineer card follows.", text);
        Assert.DoesNotContain("rejectAssignment", body!["value"]!.ToJsonString());
        var old = await app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.Id == request.Id));
        Assert.Equal((AssignmentStatus.Rejected, rejected, "Customer wants someone in their time zone"), (old.Status, old.RejectedEngineerId, old.DecisionNote));

        var fresh = await PendingAsync(app, request.EngagementId);
        Assert.Equal(request.Id, fresh.PreviousRequestId);
        Assert.NotEqual(rejected, fresh.SuggestedEngineerIds[0]);
        Assert.True(!fresh.SuggestedEngineerIds.Contains(rejected) || fresh.SuggestedEngineerIds[^1] == rejected, "the rejected engineer, if still suggested, comes last");
        var card = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == AssignmentService.CardKey(fresh.Id)));
        Assert.Equal((OutboxKind.SendToConversation, TestActivities.ApprovalsChannelId), (card.Kind, card.ConversationId));
        Assert.Contains($"Re-opened: Alex Wilber rejected {rejectedName} at 23 Nov 2026 09:00 UTC (Customer wants someone in their time zone).", CardTextOf(card));
        Assert.Contains($"\"value\":\"{fresh.SuggestedEngineerIds[0]}\"", card.PayloadJson);
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "assignment-rejected" && a.EntityId == request.Id.ToString())));
        var reopened = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "assignment-requested" && a.EntityId == fresh.Id.ToString()));
        Assert.Contains("Re-opened after Alex Wilber rejected", reopened.Reason);

        // The click stored the approvals channel (and its tenant), so the outbox can now deliver there.
        for (var pass = 0; pass < 3; pass++)
        {
            await app.DeliverOutboxAsync();
        }
        var posted = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == AssignmentService.CardKey(request.Id)));
        var update = await app.Connector.WaitForAsync(r => r.Route == "UpdateActivity" && r.ActivityId == posted.ResultActivityId);
        Assert.Contains("Rejected by Alex Wilber", update.Body?["attachments"]?[0]?["content"].CardText());
        await app.Connector.WaitForAsync(r => r.Route == "CreateConversation"
            && r.Body?["activity"]?["attachments"]?[0]?["content"].CardText().Contains("Re-opened: Alex Wilber", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_second_rejection_keeps_both_rejected_engineers_off_the_top_and_a_retried_reject_changes_nothing()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        var click = Click(app, AssignmentService.RejectVerb, request, TestActivities.Alex, request.SuggestedEngineerIds[0]);
        await app.InvokeAsync(click);
        await app.InvokeAsync(click.DeepClone().AsObject());
        Assert.Equal(2, await app.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.EngagementId == request.EngagementId)));
        var second = await PendingAsync(app, request.EngagementId);

        await app.InvokeAsync(Click(app, AssignmentService.RejectVerb, second, TestActivities.Alex, second.SuggestedEngineerIds[1]));

        var third = await PendingAsync(app, request.EngagementId);
        Assert.Equal(second.Id, third.PreviousRequestId);
        var top = third.SuggestedEngineerIds.Take(third.SuggestedEngineerIds.Count - 2).ToList();
        Assert.DoesNotContain(request.SuggestedEngineerIds[0], top);
        Assert.DoesNotContain(second.SuggestedEngineerIds[1], top);
        Assert.Equal(3, await app.QueryAsync(db => db.AssignmentRequests.CountAsync(r => r.EngagementId == request.EngagementId)));
    }

    [Fact]
    public async Task After_a_rejection_reminders_and_escalation_chase_the_new_request_not_the_rejected_one()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        await app.BindAsync(ChannelPurpose.Escalations, "19:delivery-escalations@thread.tacv2");
        app.Clock.Advance(TimeSpan.FromHours(20));
        await app.InvokeAsync(Click(app, AssignmentService.RejectVerb, request, TestActivities.Alex));
        var fresh = await PendingAsync(app, request.EngagementId);

        Task<List<string>> ChasedAsync() => app.QueryAsync(db => db.OutboxMessages
            .Where(m => m.IdempotencyKey!.StartsWith($"assignment:{request.Id}:") || m.IdempotencyKey!.StartsWith($"assignment:{fresh.Id}:"))
            .Where(m => m.IdempotencyKey!.EndsWith(":reminder") || m.IdempotencyKey!.EndsWith(":escalation"))
            .Select(m => m.IdempotencyKey!).ToListAsync());

        // A day after the original request, but only four hours after the new one: nothing is due.
        app.Clock.Advance(TimeSpan.FromHours(4));
        await RunFollowUpsAsync(app);
        Assert.Empty(await ChasedAsync());

        app.Clock.Advance(TimeSpan.FromHours(20));
        await RunFollowUpsAsync(app);
        Assert.Equal([$"assignment:{fresh.Id}:reminder"], await ChasedAsync());
        var reminder = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == $"assignment:{fresh.Id}:reminder"));
        Assert.Equal(TestActivities.ApprovalsChannelId, reminder.ConversationId);

        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunFollowUpsAsync(app);
        Assert.Equal([$"assignment:{fresh.Id}:escalation", $"assignment:{fresh.Id}:reminder"], (await ChasedAsync()).Order());
        var old = await app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.Id == request.Id));
        Assert.Equal((null, null), (old.RemindedAt, old.EscalatedAt));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "assignment-reminded" && a.EntityId == fresh.Id.ToString())));
    }

    [Fact]
    public async Task Without_an_approvals_channel_the_new_card_goes_where_the_rejected_one_was_clicked()
    {
        var (app, request) = await OpenedAsync(bindApprovals: false);
        await using var _ = app;

        await app.InvokeAsync(Click(app, AssignmentService.RejectVerb, request, TestActivities.Alex));

        var fresh = await PendingAsync(app, request.EngagementId);
        var card = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.IdempotencyKey == AssignmentService.CardKey(fresh.Id)));
        Assert.Equal((OutboxKind.SendToConversation, TestActivities.ApprovalsChannelId), (card.Kind, card.ConversationId));
        Assert.Contains("rejectAssignment", card.PayloadJson);
    }

    [Fact]
    public async Task Approving_from_a_card_the_outbox_did_not_post_updates_that_message_by_its_conversation_and_reply_id()
    {
        var (app, request) = await OpenedAsync(bindApprovals: false);
        await using var _ = app;

        await app.InvokeAsync(Click(app, AssignmentService.ApproveVerb, request, TestActivities.Alex, request.SuggestedEngineerIds[0]));

        var update = await app.QueryAsync(db => db.OutboxMessages.SingleAsync(m => m.Kind == OutboxKind.UpdateActivity && m.IdempotencyKey == $"assignment:{request.Id}:decided"));
        Assert.Equal(TestActivities.ApprovalsChannelId + ";messageid=" + CardActivityId, update.ConversationId);
        Assert.Equal(CardActivityId, update.TargetActivityId);
    }

    [Fact]
    public async Task A_pending_approval_is_reminded_after_a_day_and_escalated_after_two_each_once()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        await app.BindAsync(ChannelPurpose.Escalations, "19:delivery-escalations@thread.tacv2");
        async Task RunAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AssignmentFollowUps>().RunAsync(CancellationToken.None);
        }
        Task<AssignmentRequest> Row() => app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.Id == request.Id));
        Task<List<OutboxMessage>> Posts() => app.QueryAsync(db => db.OutboxMessages
            .Where(m => m.IdempotencyKey == $"assignment:{request.Id}:reminder" || m.IdempotencyKey == $"assignment:{request.Id}:escalation").ToListAsync());

        app.Clock.Advance(TimeSpan.FromHours(23));
        await RunAsync();
        Assert.Null((await Row()).RemindedAt);

        app.Clock.Advance(TimeSpan.FromHours(1));
        await RunAsync();
        await RunAsync();
        var reminded = await Row();
        Assert.Equal(app.Clock.GetUtcNow(), reminded.RemindedAt);
        Assert.Null(reminded.EscalatedAt);
        var reminder = Assert.Single(await Posts());
        Assert.Equal(TestActivities.ApprovalsChannelId, reminder.ConversationId);
        Assert.Contains("Reminder", JsonNode.Parse(reminder.PayloadJson)!["attachments"]![0]!["content"].CardText());

        app.Clock.Advance(TimeSpan.FromHours(24));
        await RunAsync();
        app.Clock.Advance(TimeSpan.FromHours(24));
        await RunAsync();
        var escalated = await Row();
        Assert.Equal(reminded.RemindedAt, escalated.RemindedAt);
        Assert.Equal(reminded.RemindedAt!.Value.AddDays(1), escalated.EscalatedAt);
        var posts = await Posts();
        Assert.Equal(2, posts.Count);
        Assert.Equal("19:delivery-escalations@thread.tacv2", Assert.Single(posts, p => p.IdempotencyKey!.EndsWith(":escalation")).ConversationId);
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "assignment-escalated" && a.EntityId == request.Id.ToString())));
    }

    [Fact]
    public async Task A_decided_approval_is_never_chased()
    {
        var (app, request) = await OpenedAsync();
        await using var _ = app;
        await app.InvokeAsync(Click(app, AssignmentService.ApproveVerb, request, TestActivities.Alex, request.SuggestedEngineerIds[0]));

        app.Clock.Advance(TimeSpan.FromDays(3));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AssignmentFollowUps>().RunAsync(CancellationToken.None);
        }

        var row = await app.QueryAsync(db => db.AssignmentRequests.SingleAsync(r => r.Id == request.Id));
        Assert.Null(row.RemindedAt);
        Assert.Null(row.EscalatedAt);
    }
}

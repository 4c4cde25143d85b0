using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.AccountAccess;
using Engagements.BotFramework.Schema;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Engineers;
using Engagements.Mail;
using Engagements.Outbox;
using Engagements.Tests.Data;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.AccountAccess;

/// <summary>Customers with access lists, engineers and their requests, set up through the app's own database.</summary>
internal static class AccountAccessWorld
{
    public static DateOnly Today(EngagementsApplication app) => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

    /// <summary>A customer with a VPN (email, 3 days) and a Jira (ticket, 5 days) entry, and an active engagement.</summary>
    public static async Task<(Guid CustomerId, Guid EngagementId)> CustomerAsync(EngagementsApplication app, string name, string domain, string? csmAad = null)
    {
        var customer = TestData.Customer(name);
        customer.CsmName = "Carla Csm";
        customer.CsmEmail = "carla.csm@engagements.example";
        customer.CsmAadObjectId = csmAad;
        customer.AccessList =
        [
            new() { System = "VPN", ContactTo = $"it-accounts@{domain}", Cc = [$"security@{domain}"], Method = CommunicationMethod.Email,
                CustomSubject = $"[ACCESS] New contractor account - {name}", OtherRequirements = "Include the phone number for MFA", ExpectedDaysToCreate = 3 },
            new() { System = "Jira", ContactTo = $"servicedesk@{domain}", Method = CommunicationMethod.Ticket, ExpectedDaysToCreate = 5 },
        ];
        var opportunity = TestData.Opportunity(customer);
        var engagement = TestData.Engagement(opportunity);
        engagement.Status = EngagementStatus.Active;
        await app.ExecuteAsync(async db =>
        {
            db.Customers.Add(customer);
            db.Opportunities.Add(opportunity);
            db.Engagements.Add(engagement);
            await db.SaveChangesAsync();
        });
        return (customer.Id, engagement.Id);
    }

    public static async Task<Guid> EngineerAsync(EngagementsApplication app, TestUser user, DateOnly startDate)
    {
        var engineer = new EngineerProfile
        {
            Name = user.Name, AadObjectId = user.AadObjectId, TeamsUserId = user.TeamsId, StartDate = startDate,
            Email = user.Name.Replace(" ", ".", StringComparison.Ordinal).ToLowerInvariant() + "@engagements.example", Phone = "+1 425 555 0100",
        };
        await app.ExecuteAsync(async db =>
        {
            db.Engineers.Add(engineer);
            await db.SaveChangesAsync();
        });
        return engineer.Id;
    }

    /// <summary>Requests for every access-list entry, already sent <paramref name="daysAgo"/> days ago (status requested).</summary>
    public static async Task RequestedAsync(EngagementsApplication app, Guid engagementId, Guid engineerId, int daysAgo)
    {
        var now = app.Clock.GetUtcNow();
        var today = Today(app);
        await app.ExecuteAsync(async db =>
        {
            var engagement = await db.Engagements.SingleAsync(e => e.Id == engagementId);
            foreach (var entry in await db.AccessListEntries.Where(e => e.CustomerId == engagement.CustomerId).ToListAsync())
            {
                db.AccountRequests.Add(new AccountRequest
                {
                    EngagementId = engagementId, CustomerId = engagement.CustomerId, EngineerId = engineerId, AccessListEntryId = entry.Id,
                    System = entry.System, Status = AccountRequestStatus.Requested, NotBefore = today.AddDays(-daysAgo),
                    RequestDate = today.AddDays(-daysAgo), RequestedAt = now.AddDays(-daysAgo), ExpectedBy = today.AddDays(10),
                    CreatedAt = now, UpdatedAt = now,
                });
            }

            await db.SaveChangesAsync();
        });
    }

    public static async Task<T> WithServiceAsync<T>(EngagementsApplication app, Func<AccountAccessService, Task<T>> use)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<AccountAccessService>());
    }

    public static Task<DailyRunResult> RunDailyAsync(EngagementsApplication app) => WithServiceAsync(app, s => s.RunDailyAsync(CancellationToken.None));

    public static Task<List<AccountRequest>> RequestsOfAsync(EngagementsApplication app, Guid engineerId) =>
        app.QueryAsync(db => db.AccountRequests.Include(r => r.FollowUps).Include(r => r.Customer)
            .Where(r => r.EngineerId == engineerId).OrderBy(r => r.System).ToListAsync());

    public static Task<List<OutboxMessage>> OutboxAsync(EngagementsApplication app, Guid requestId) =>
        app.QueryAsync(db => db.OutboxMessages.Where(m => m.RelatedEntityType == nameof(AccountRequest) && m.RelatedEntityId == requestId.ToString())
            .OrderBy(m => m.Sequence).ToListAsync());

    public static EmailMessage Email(OutboxMessage message) => JsonSerializer.Deserialize<EmailMessage>(message.PayloadJson, JsonSerializerOptions.Web)!;

    public static string CardText(OutboxMessage message) =>
        JsonSerializer.Deserialize<Activity>(message.PayloadJson, BotJson.Options)!.Attachments![0].Content.CardText();

    public static string ReplyText(Engagements.Testing.ConnectorRequest request) =>
        request.Body?["attachments"]?[0]?["content"].CardText() ?? request.Body?["text"]?.GetValue<string>() ?? "";

    public static JsonObject? ReplyCard(Engagements.Testing.ConnectorRequest request) => request.Body?["attachments"]?[0]?["content"] as JsonObject;
}

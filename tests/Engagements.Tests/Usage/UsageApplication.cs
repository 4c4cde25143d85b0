using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Outbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Engagements.Tests.Usage;

/// <summary>The app with a usage API key and the usage and health alert channels bound.</summary>
public class UsageApplication : EngagementsApplication
{
    public const string ApiKey = "test-usage-key-3f9a";
    public const string UsageChannel = "19:alerts-customer-usage@thread.tacv2";
    public const string HealthChannel = "19:alerts-health@thread.tacv2";

    public UsageApplication()
    {
        Settings["Usage:ApiKeys:0"] = "another-key";
        Settings["Usage:ApiKeys:1"] = ApiKey;
        Settings["Links:SigningKey"] = "test-signing-key-for-links-0123456789";
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BindAsync(ChannelPurpose.AlertsCustomerUsage, UsageChannel);
        await BindAsync(ChannelPurpose.AlertsHealth, HealthChannel);
    }

    public async Task BindAsync(ChannelPurpose purpose, string conversationId) => await ExecuteAsync(async db =>
    {
        if (!await db.ChannelBindings.AnyAsync(b => b.Purpose == purpose))
        {
            db.ChannelBindings.Add(new ChannelBinding { Purpose = purpose, ConversationId = conversationId, BoundAt = Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
    });

    public async Task<HttpResponseMessage> PostUsageAsync(string path, object body, string? apiKey = ApiKey)
    {
        var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await client.SendAsync(request);
    }

    public Task<Customer> CustomerAsync(string name) => QueryAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Name == name));

    public Task<List<OutboxMessage>> OutboxAsync(string conversationId) =>
        QueryAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.ConversationId == conversationId).OrderBy(m => m.Sequence).ToListAsync());

    public static string CardText(OutboxMessage message) =>
        JsonNode.Parse(message.PayloadJson)?["attachments"]?[0]?["content"]?.ToJsonString() ?? "";
}

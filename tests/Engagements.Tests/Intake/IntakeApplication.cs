using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Engagements.Conversations;
using Engagements.Intake;
using Engagements.Roles;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Intake;

/// <summary>The real host with a CRM webhook secret, and helpers to post signed opportunities and bind channels.</summary>
public class IntakeApplication : EngagementsApplication
{
    public const string Secret = "test-crm-webhook-secret-3f9a";

    public IntakeApplication()
    {
        Settings["Crm:WebhookSecret"] = Secret;
        // Tests call AssignmentFollowUps themselves under the fake clock; the wall-clock trigger must not add rows mid-test.
        Settings["Assignment:FollowUpCron"] = "0 0 3 1 1 ? 2099";
    }

    public Task<HttpResponseMessage> PostOpportunityAsync(JsonObject body, string? signature = null) =>
        PostOpportunityAsync(body.ToJsonString(), signature);

    public async Task<HttpResponseMessage> PostOpportunityAsync(string body, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add(WebhookSignature.Header, signature ?? WebhookSignature.Sign(Secret, bytes));
        return await CreateClient().PostAsync("/api/crm/opportunities", content);
    }

    public Task BindAsync(ChannelPurpose purpose, string conversationId) => ExecuteAsync(async db =>
    {
        db.ChannelBindings.Add(new ChannelBinding { Purpose = purpose, ConversationId = conversationId, BoundAt = Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    });

    // The demo data may grant it already: its people carry the Playground's ids, as the test users do.
    public Task GrantAsync(TestUser user, Role role) => ExecuteAsync(async db =>
    {
        if (!await db.RoleAssignments.AnyAsync(r => r.AadObjectId == user.AadObjectId && r.Role == role))
        {
            db.RoleAssignments.Add(new RoleAssignment { AadObjectId = user.AadObjectId, Role = role, DisplayName = user.Name, GrantedAt = Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
    });
}

public static class Opportunities
{
    /// <summary>A valid closed-won new opportunity with a SOW, an access list and a customer contact.</summary>
    public static JsonObject ClosedWon(string? id = null, string? customerCrmId = null, string customerName = "Blue Yonder Airlines") => new()
    {
        ["opportunityId"] = id ?? "OPP-" + Guid.NewGuid().ToString("N")[..10],
        ["kind"] = "new",
        ["stage"] = "Closed Won",
        ["closeDate"] = "2026-11-20",
        ["amount"] = 180000,
        ["contractReference"] = "CTR-2026-0117",
        ["customer"] = new JsonObject
        {
            ["crmId"] = customerCrmId ?? "ACC-" + Guid.NewGuid().ToString("N")[..10],
            ["name"] = customerName,
            ["seats"] = 420,
            ["supportLevel"] = "Standard",
            ["csmEmail"] = "adele.vance@engagements.example",
            ["csmName"] = "Adele Vance",
            ["productVersion"] = "2025.2",
            ["contactName"] = "Jordan Miller",
            ["contactEmail"] = "jordan.miller@blueyonderairlines.com",
        },
        ["sow"] = new JsonObject
        {
            ["reference"] = "SOW-BYA-01",
            ["projects"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "Blue Yonder onboarding",
                    ["kind"] = "onboarding-90-day",
                    ["deliverables"] = new JsonArray(
                        new JsonObject { ["title"] = "Environment assessment", ["doneCriterion"] = "Assessment reviewed with the customer", ["dueDate"] = "2026-12-04" },
                        new JsonObject { ["title"] = "SSO configured", ["doneCriterion"] = "Users sign in with Entra ID", ["githubIssueUrl"] = "https://github.com/contoso/delivery/issues/12" }),
                },
                new JsonObject
                {
                    ["name"] = "Admin workshop",
                    ["kind"] = "workshop",
                    ["deliverables"] = new JsonArray(new JsonObject { ["title"] = "Workshop held", ["doneCriterion"] = "Eight admins attended" }),
                }),
        },
        ["accessList"] = new JsonArray(
            new JsonObject
            {
                ["system"] = "VPN", ["contactTo"] = "it-accounts@blueyonderairlines.com", ["cc"] = new JsonArray("security@blueyonderairlines.com"),
                ["method"] = "email", ["customSubject"] = "[ACCESS] New contractor account", ["expectedDaysToCreate"] = 3,
            },
            new JsonObject { ["system"] = "Jira", ["contactTo"] = "servicedesk@blueyonderairlines.com", ["method"] = "ticket" }),
    };
}

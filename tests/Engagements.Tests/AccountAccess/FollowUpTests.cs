using System.Net;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Engagements.AccountAccess;
using Engagements.Customers;
using Engagements.Tests.Playground;
using Microsoft.EntityFrameworkCore;
using static Engagements.Tests.AccountAccess.AccountAccessWorld;

namespace Engagements.Tests.AccountAccess;

public class FollowUpTests(EngagementsApplication app) : IClassFixture<EngagementsApplication>
{
    private async Task<Engagements.Testing.ConnectorRequest> AskAsync(string text, TestUser? user = null)
    {
        var conversationId = "a:1follow-up-" + Guid.NewGuid().ToString("N");
        await app.PostActivityAsync(TestActivities.Message(app.ServiceUrl, text, user, conversationId));
        return await app.Connector.WaitForAsync(r => r.ConversationId == conversationId);
    }

    [Fact]
    public async Task Follow_up_for_a_customer_shows_its_requests_and_offers_team_leads_the_access_list()
    {
        var card = ReplyCard(await AskAsync("follow-up contoso"))!;

        var text = card.CardText();
        Assert.Contains("Follow-up: Contoso", text);
        Assert.Contains("Alex Wilber · Contoso Jira", text);
        Assert.Contains("Alex Wilber · Contoso VPN", text);
        Assert.Contains("Escalated to team lead", text);
        Assert.Contains("overdue", text);
        Assert.DoesNotContain("Fabrikam", text);
        Assert.Contains("\"verb\":\"showAccessList\"", card.ToJsonString());
    }

    [Fact]
    public async Task Follow_up_overdue_lists_only_open_requests_past_their_expected_date()
    {
        var text = ReplyText(await AskAsync("follow-up overdue"));

        Assert.Contains("Overdue account requests", text);
        Assert.Contains("Contoso Jira", text);
        Assert.Contains("Fabrikam Jira", text);
        Assert.DoesNotContain("Verified", text);
        Assert.DoesNotContain("Scheduled", text);
    }

    [Fact]
    public async Task Follow_up_is_refused_to_someone_without_a_lead_role_and_shows_nothing()
    {
        var text = ReplyText(await AskAsync("follow-up", TestActivities.Guest));

        Assert.Contains("Not allowed", text);
        Assert.DoesNotContain("Contoso", text);
    }

    [Fact]
    public async Task Follow_up_export_links_to_an_xlsx_with_one_row_per_request_and_the_seed_columns()
    {
        var card = ReplyCard(await AskAsync("follow-up export"))!;
        var url = card["actions"]![0]!["url"]!.GetValue<string>();
        Assert.StartsWith("http://127.0.0.1:3978/api/follow-up/export/", url);

        var response = await app.CreateClient().GetAsync(new Uri(url).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AccountAccessApi.XlsxContentType, response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var workbook = SpreadsheetDocument.Open(stream, isEditable: false);
        var sheet = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToArray()).ToList();
        Assert.Equal(["Engineer", "Customer", "System", "Request date", "Expected by", "Status", "Last follow-up", "Notes"], rows[0]);
        var requests = await app.QueryAsync(db => db.AccountRequests.Include(r => r.Engineer).Include(r => r.Customer).ToListAsync());
        Assert.Equal(requests.Count, rows.Count - 1);
        var failing = requests.Single(r => r.Customer.Name == "Fabrikam" && r.System == "VPN" && r.Engineer.Name == "Alex Wilber");
        Assert.Contains(rows, r => r[0] == "Alex Wilber" && r[1] == "Fabrikam" && r[2] == "VPN" && r[3] == failing.RequestDate!.Value.ToString("yyyy-MM-dd") && r[5] == "Not working" && r[7] == "MFA enrolment link expired");
    }

    [Fact]
    public async Task A_tampered_or_foreign_export_link_is_refused_with_403()
    {
        var card = ReplyCard(await AskAsync("follow-up export"))!;
        var path = new Uri(card["actions"]![0]!["url"]!.GetValue<string>()).AbsolutePath;
        var token = path[(path.LastIndexOf('/') + 1)..];
        var (payload, signature) = (token.Split('.')[0], token.Split('.')[1]);
        var flipped = signature[..^2] + (signature[^2] == 'A' ? 'B' : 'A') + signature[^1];
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/follow-up/export/{payload}.{flipped}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/follow-up/export/{payload}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/follow-up/export/not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Team_leads_edit_the_access_list_through_cards_with_validation_and_an_audit_entry()
    {
        var contoso = await app.QueryAsync(db => db.Customers.Include(c => c.AccessList).SingleAsync(c => c.Name == "Contoso"));
        var vpn = contoso.AccessList.Single(e => e.System == "VPN");

        var (_, list) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "showAccessList", new JsonObject { ["customerId"] = contoso.Id.ToString() }, "1:list"));
        Assert.Contains("it-accounts@contoso.com", list!["value"].CardText());

        var (_, form) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "editAccessEntry", new JsonObject { ["customerId"] = contoso.Id.ToString(), ["entryId"] = vpn.Id.ToString() }, "1:list"));
        Assert.Contains("Edit VPN", form!["value"].CardText());

        JsonObject Save(string to, string days) => new()
        {
            ["customerId"] = contoso.Id.ToString(), ["entryId"] = vpn.Id.ToString(), ["system"] = "VPN", ["contactTo"] = to,
            ["cc"] = "security@contoso.com; soc@contoso.com", ["method"] = "email", ["customSubject"] = "[ACCESS] Contractor", ["otherRequirements"] = "", ["expectedDays"] = days,
        };
        var (_, refused) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "saveAccessEntry", Save("new@contoso.com", "4"), "1:list", TestActivities.Megan));
        var (_, invalid) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "saveAccessEntry", Save("not an address", "0"), "1:list"));
        Assert.Contains("Only team leads and admins", refused!["value"]!.ToString());
        Assert.Contains("To: one valid email address is required.", invalid!["value"].CardText());
        Assert.Contains("Expected days", invalid["value"].CardText());
        Assert.Equal("it-accounts@contoso.com", (await app.QueryAsync(db => db.AccessListEntries.SingleAsync(e => e.Id == vpn.Id))).ContactTo);

        var (_, saved) = await app.InvokeAsync(TestActivities.Invoke(app.ServiceUrl, "saveAccessEntry", Save("new-accounts@contoso.com", "4"), "1:list"));

        Assert.Contains("Saved VPN.", saved!["value"].CardText());
        var entry = await app.QueryAsync(db => db.AccessListEntries.SingleAsync(e => e.Id == vpn.Id));
        Assert.Equal("new-accounts@contoso.com", entry.ContactTo);
        Assert.Equal(["security@contoso.com", "soc@contoso.com"], entry.Cc);
        Assert.Equal(4, entry.ExpectedDaysToCreate);
        Assert.Equal(CommunicationMethod.Email, entry.Method);
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "access-list-entry-changed" && a.EntityId == vpn.Id.ToString())));
    }

    [Fact]
    public async Task The_status_summary_counts_requests_and_takes_the_median_time_to_access()
    {
        var wideWorld = await app.QueryAsync(db => db.Customers.SingleAsync(c => c.Name == "Wide World Importers"));

        var summary = await WithServiceAsync(app, s => s.SummaryForCustomerAsync(wideWorld.Id));

        // Demo: both Wide World Importers accounts were verified two days after the request.
        Assert.Equal(new AccountAccessSummary(0, 2, 0, TimeSpan.FromDays(2)), summary);
    }
}

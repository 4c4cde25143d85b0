using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Bot;

public sealed class InstallRaceOnSqliteTests(EngagementsApplication app) : InstallRaceTests(app), IClassFixture<EngagementsApplication>;

public sealed class InstallRacePostgresApplication : EngagementsApplication
{
    protected override bool OnPostgres => true;
}

public sealed class InstallRaceOnPostgresTests(InstallRacePostgresApplication app) : InstallRaceTests(app), IClassFixture<InstallRacePostgresApplication>;

/// <summary>
/// Teams (and the Agents Playground) send an install as two events at once, installationUpdate and conversationUpdate,
/// so two turns store the same new conversation together. That is normal and must not reach the log as an error.
/// </summary>
public abstract class InstallRaceTests(EngagementsApplication app)
{
    [Fact]
    public async Task The_two_events_of_an_install_store_the_conversation_once_and_log_no_error()
    {
        // Several installs at once: a single pair of requests does not always overlap.
        var conversationIds = Enumerable.Range(0, 6).Select(_ => "a:1race-" + Guid.NewGuid().ToString("N")).ToList();
        var logged = app.Logs.Lines.Count;

        var responses = await Task.WhenAll(conversationIds.SelectMany(id => new[] { app.PostActivityAsync(Install(id)), app.PostActivityAsync(MembersAdded(id)) }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var id in conversationIds)
        {
            var stored = await app.QueryAsync(db => db.Conversations.Where(c => c.ConversationId == id).ToListAsync());
            var conversation = Assert.Single(stored);
            Assert.Equal(TestActivities.Alex.AadObjectId, conversation.UserAadObjectId);
            Assert.Equal(TestActivities.TenantId, conversation.TenantId);
        }

        var errors = app.Logs.Lines.Skip(logged).Where(line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    private JsonObject Install(string conversationId)
    {
        var install = TestActivities.PersonalInstall(app.ServiceUrl);
        install["conversation"]!["id"] = conversationId;
        return install;
    }

    private JsonObject MembersAdded(string conversationId)
    {
        var added = Install(conversationId);
        added["type"] = "conversationUpdate";
        added.Remove("action");
        added["membersAdded"] = new JsonArray(new JsonObject { ["id"] = TestActivities.Alex.TeamsId }, new JsonObject { ["id"] = TestActivities.BotId });
        return added;
    }
}

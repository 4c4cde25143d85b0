using System.Text.Json.Nodes;
using Engagements.Mail;
using Engagements.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;

namespace Engagements.Tests.Mail;

public class GraphMailSenderTests
{
    private const string Mailbox = "delivery@engagements.example";

    // The SDK writes the sendMail body in Graph's metadata casing ("Message", "SaveToSentItems"); Graph reads JSON case-insensitively.
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    /// <summary>A loopback stand-in for graph.microsoft.com that records what it is sent and answers sendMail with 202.</summary>
    private sealed class FakeGraph : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeGraph(WebApplication app) => _app = app;

        public List<(string Path, string? Authorization, JsonNode? Body)> Requests { get; } = [];

        public string BaseUrl { get; private set; } = "";

        public int Status { get; set; } = 202;

        public static async Task<FakeGraph> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var fake = new FakeGraph(app);
            app.Run(async context =>
            {
                var text = await new StreamReader(context.Request.Body).ReadToEndAsync();
                lock (fake.Requests)
                {
                    fake.Requests.Add((context.Request.Path.Value!, context.Request.Headers.Authorization.FirstOrDefault(), text.Length == 0 ? null : JsonNode.Parse(text, CaseInsensitive)));
                }
                context.Response.StatusCode = fake.Status;
                if (fake.Status >= 400)
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("""{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}""");
                }
            });
            await app.StartAsync();
            fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/v1.0";
            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class GraphApplication : EngagementsApplication
    {
        public FakeTokenEndpoint Tokens { get; } = new();

        public GraphApplication(string graphBaseUrl)
        {
            Settings["Graph:TenantId"] = "8a1d4c7e-5b2f-4e3a-9c6d-1f0e2b3a4c5d";
            Settings["Graph:ClientId"] = "5e0c1b7a-2f3d-4c8e-9a1b-7d6e5f4a3b2c";
            Settings["Graph:ClientSecret"] = "test-graph-secret";
            Settings["Graph:SenderMailbox"] = Mailbox;
            Settings["Graph:BaseUrl"] = graphBaseUrl;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // MSAL keeps its real https authority; only its HTTP goes to the fake token endpoint.
            builder.ConfigureTestServices(services => services.AddSingleton<IMsalHttpClientFactory>(Tokens));
        }
    }

    [Fact]
    public async Task An_email_goes_to_Graph_sendMail_as_the_configured_mailbox_with_an_app_token()
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var app = new GraphApplication(graph.BaseUrl);
        await app.InitializeAsync();
        var sender = app.Services.GetRequiredService<IMailSender>();
        var email = new EmailMessage(
            ["jordan.miller@blueyonderairlines.com"],
            ["adele.vance@engagements.example", "lee.gu@engagements.example"],
            "Welcome to your implementation, Blue Yonder Airlines",
            "<p>Dear Jordan,</p><p>Welcome &amp; thank you.</p>",
            "welcome");

        await sender.SendAsync(email, CancellationToken.None);
        await sender.SendAsync(email with { Subject = "Second" }, CancellationToken.None);

        Assert.IsType<GraphMailSender>(sender);
        Assert.True(sender.CanSend);
        Assert.Equal(2, graph.Requests.Count);
        var (path, authorization, body) = graph.Requests[0];
        Assert.Equal($"/v1.0/users/{Mailbox}/sendMail", path);
        Assert.Equal("Bearer " + FakeTokenEndpoint.TokenNumber(1), authorization);
        var message = body!["message"]!;
        Assert.Equal("Welcome to your implementation, Blue Yonder Airlines", message["subject"]!.GetValue<string>());
        Assert.Equal("html", message["body"]!["contentType"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal("<p>Dear Jordan,</p><p>Welcome &amp; thank you.</p>", message["body"]!["content"]!.GetValue<string>());
        Assert.Equal(["jordan.miller@blueyonderairlines.com"], message["toRecipients"]!.AsArray().Select(r => r!["emailAddress"]!["address"]!.GetValue<string>()));
        Assert.Equal(["adele.vance@engagements.example", "lee.gu@engagements.example"],
            message["ccRecipients"]!.AsArray().Select(r => r!["emailAddress"]!["address"]!.GetValue<string>()));
        Assert.True(body["saveToSentItems"]!.GetValue<bool>());
        // One token for both emails (MSAL's cache), requested for Graph's default scope with client credentials.
        var tokenRequest = Assert.Single(app.Tokens.TokenRequests);
        Assert.Equal("https://graph.microsoft.com/.default", tokenRequest["scope"]);
        Assert.Equal("client_credentials", tokenRequest["grant_type"]);
        Assert.Equal("https", Assert.Single(app.Tokens.TokenEndpointsCalled).Scheme);
    }

    [Fact]
    public async Task A_Graph_error_surfaces_as_an_exception_so_the_outbox_can_retry_or_fail_the_email()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.Status = 403;
        await using var app = new GraphApplication(graph.BaseUrl);
        await app.InitializeAsync();
        var sender = app.Services.GetRequiredService<IMailSender>();

        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(
            new EmailMessage(["a@example.com"], [], "Subject", "<p>x</p>"), CancellationToken.None));
    }

    [Fact]
    public async Task Without_Graph_configuration_emails_are_recorded_not_sent()
    {
        await using var app = new EngagementsApplication();
        await app.InitializeAsync();

        var sender = app.Services.GetRequiredService<IMailSender>();

        Assert.IsType<UnconfiguredMailSender>(sender);
        Assert.False(sender.CanSend);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.BotFramework.Schema;

namespace Engagements.Bench.Bare;

/// <summary>
/// The floor for the turn benchmark: an ASP.NET Core endpoint that only parses the activity and posts a reply (text +
/// a small Adaptive Card) to the activity's serviceUrl. No authentication, no database, no rate limiter, no retries:
/// the cost every Bot Framework bot on ASP.NET Core pays, so "our turn / bare endpoint" is what our features cost.
/// </summary>
public static class BareEndpointApp
{
    public const string HttpClientName = "connector";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddHttpClient(HttpClientName);
        var app = builder.Build();
        app.MapPost("/api/messages", ReplyAsync);
        return app;
    }

    private static async Task<IResult> ReplyAsync(HttpContext context, IHttpClientFactory clients)
    {
        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync<Activity>(context.Request.Body, BotJson.Options, context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        if (activity?.ServiceUrl is not { } serviceUrl || activity.Conversation?.Id is not { } conversationId)
        {
            return Results.BadRequest();
        }

        var text = activity.Text ?? "";
        var reply = new Activity
        {
            Type = ActivityTypes.Message,
            Text = "Echo: " + text,
            ReplyToId = activity.Id,
            From = activity.Recipient,
            Recipient = activity.From,
            Conversation = activity.Conversation,
            Attachments =
            [
                Attachment.AdaptiveCard(new JsonObject
                {
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.5",
                    ["body"] = new JsonArray(
                        new JsonObject { ["type"] = "TextBlock", ["text"] = "Echo", ["weight"] = "Bolder", ["size"] = "Medium" },
                        new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true }),
                }),
            ],
        };
        var url = $"{serviceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";
        using var response = await clients.CreateClient(HttpClientName).PostAsJsonAsync(url, reply, BotJson.Options, context.RequestAborted);
        return response.IsSuccessStatusCode ? Results.Ok() : Results.StatusCode(StatusCodes.Status502BadGateway);
    }
}

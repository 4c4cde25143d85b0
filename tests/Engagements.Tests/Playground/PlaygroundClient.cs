using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Engagements.Tests.Playground;

/// <summary>
/// Drives the Playground the way its web UI does: its conversation API to act as the current user, and its WebSocket
/// stream to see everything the bot posts (createMessage / updateMessage frames).
/// </summary>
public sealed class PlaygroundClient : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentQueue<JsonObject> frames = new();
    private readonly SemaphoreSlim arrived = new(0);
    private readonly CancellationTokenSource stop = new();
    private Task? receiving;

    public PlaygroundClient(Uri baseAddress) => http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public IReadOnlyCollection<JsonObject> Frames => frames;

    public async Task ConnectAsync()
    {
        var ws = new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = "_ws_conversation/v1/conversations/stream" }.Uri;
        await socket.ConnectAsync(ws, stop.Token);
        receiving = ReceiveAsync();
    }

    public async Task<JsonObject> TestConfigAsync() =>
        (await http.GetFromJsonAsync<JsonObject>("_internal/v1/testConfig"))!;

    /// <summary>What the UI does when a conversation opens: the Playground sends installationUpdate + conversationUpdate.</summary>
    public async Task InstallAsync(string conversationId) =>
        (await http.PostAsync($"_debug/conversation/{Uri.EscapeDataString(conversationId)}/installation", null)).EnsureSuccessStatusCode();

    public async Task SendAsync(string conversationId, string text, string fromId, JsonArray? mentions = null)
    {
        var body = new JsonObject { ["text"] = text, ["textFormat"] = "plain", ["from"] = new JsonObject { ["id"] = fromId } };
        if (mentions is not null)
        {
            body["mentions"] = mentions;
        }

        var response = await http.PostAsJsonAsync($"_conversation/v1/conversations/{Uri.EscapeDataString(conversationId)}/messages", body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Clicks an Action.Execute on a card the bot posted; returns the bot's invoke answer as the Playground relays it.</summary>
    public async Task<JsonObject> InvokeAsync(string conversationId, string replyToId, string fromId, JsonObject action)
    {
        var body = new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["value"] = new JsonObject { ["action"] = action },
            ["from"] = new JsonObject { ["id"] = fromId },
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["replyToId"] = replyToId,
        };
        var response = await http.PostAsJsonAsync("_conversation/v1/invoke", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"invoke failed: {(int)response.StatusCode} {text} (request {body.ToJsonString()}; frames {string.Join(" | ", frames.Select(f => $"{f.Action()} {f["actionConversationId"]} {f.Message()?["messageId"]}"))})");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Waits for a frame (already received or still to come) that matches.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (frames.FirstOrDefault(match) is { } frame)
            {
                return frame;
            }

            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await arrived.WaitAsync(left))
            {
                var seen = string.Join("\n", frames.Select(f => f.ToJsonString()[..Math.Min(300, f.ToJsonString().Length)]));
                throw new TimeoutException($"No Playground frame with {what} arrived. Frames seen:\n{seen}");
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray())) is JsonObject frame)
                {
                    frames.Enqueue(frame);
                    arrived.Release();
                }

                message.SetLength(0);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (receiving is not null)
        {
            await receiving;
        }

        socket.Dispose();
        http.Dispose();
        stop.Dispose();
    }
}

public static class PlaygroundFrames
{
    public static JsonObject? Message(this JsonObject frame) => frame["message"] as JsonObject;

    public static string? Action(this JsonObject frame) => frame["action"]?.GetValue<string>();

    public static JsonObject? Card(this JsonObject frame) =>
        frame.Message()?["attachments"]?.AsArray().FirstOrDefault(a => a?["contentType"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive")?["content"] as JsonObject;

    /// <summary>All visible text of a card (TextBlocks, facts, choices, action titles), for assertions on what a user sees.</summary>
    public static string CardText(this JsonNode? card) => card switch
    {
        JsonObject o => string.Join(" ", o.Where(p => p.Key is not "type" and not "$schema" and not "version" and not "verb" and not "id")
            .Select(p => p.Value is JsonValue v && p.Key is "text" or "title" or "value" ? v.ToString() : CardText(p.Value))),
        JsonArray a => string.Join(" ", a.Select(CardText)),
        _ => "",
    };
}

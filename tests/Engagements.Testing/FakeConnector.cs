using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engagements.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Engagements.Testing;

/// <summary>One request the fake Connector received.</summary>
/// <param name="RawPath">The path as sent on the wire (still percent-encoded), without the query.</param>
/// <param name="ConversationId">Decoded from the route; for POST v3/conversations, the conversation that was created.</param>
public sealed record ConnectorRequest(
    string Method,
    string Route,
    string RawPath,
    string? Query,
    string? ConversationId,
    string? ActivityId,
    string? Authorization,
    JsonNode? Body,
    DateTimeOffset Timestamp,
    int ResponseStatus)
{
    public Activity? Activity => Body is JsonObject ? Body.Deserialize<Activity>(BotJson.Options) : null;

    /// <summary>For a post the fake kept (a 2xx, or a fault scripted with <see cref="FakeResponse.Landed"/>): the id it gave the message.</summary>
    public string? PostedActivityId { get; init; }

    /// <summary>The post is in the conversation, whatever the answer said; Graph read-back finds it.</summary>
    public bool Landed => PostedActivityId is not null;
}

/// <summary>A scripted answer. Status 202 with no body imitates the Playground's split messages.</summary>
/// <param name="Stall">Real time to wait before answering, to provoke client timeouts.</param>
/// <param name="Landed">For a post: keep the message (as Teams may have, behind a gateway's 5xx) although the answer is a failure.</param>
public sealed record FakeResponse(
    int Status, TimeSpan? RetryAfter = null, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Stall = null, bool Landed = false);

/// <summary>
/// A real Kestrel server on 127.0.0.1 that speaks the Connector routes the bot uses (notes §3.2), records every
/// request, and answers with ids, scripted faults, or (optionally) Teams' own throttling.
/// Real TCP rather than a TestServer handler so the production HttpClient pipeline, token handler included, runs.
/// </summary>
public sealed partial class FakeConnector : IAsyncDisposable
{
    public const string RoutePrefix = "/amer";
    public const string GraphPrefix = "/v1.0";

    private readonly WebApplication _app;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly List<ConnectorRequest> _requests = [];
    private readonly List<(Func<ConnectorRequest, bool> Predicate, TaskCompletionSource<ConnectorRequest> Signal)> _waiters = [];
    private readonly List<ScriptedFault> _faults = [];
    private readonly ConcurrentDictionary<string, List<ChannelAccount>> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<ChannelInfo>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _accepted = new(StringComparer.Ordinal);
    private long _nextId;
    private long _received;

    private FakeConnector(WebApplication app, TimeProvider timeProvider)
    {
        _app = app;
        _timeProvider = timeProvider;
    }

    /// <summary>With a trailing slash and a path, like real Teams (<c>https://smba.trafficmanager.net/amer/</c>).</summary>
    public string ServiceUrl { get; private set; } = "";

    /// <summary>
    /// The Microsoft Graph double on the same server (for Outbox:ReadBack:GraphBaseUrl): it lists the posts this fake
    /// kept as Graph's chatMessage resources, in a chat, a channel's delta or a thread's replies.
    /// </summary>
    public string GraphBaseUrl { get; private set; } = "";

    /// <summary>The same without the trailing slash, like the Agents Playground (<c>http://localhost:56150/_connector</c>).</summary>
    public string ServiceUrlWithoutTrailingSlash => ServiceUrl.TrimEnd('/');

    /// <summary>Answer 429 + Retry-After when a send would break Teams' per-conversation or per-tenant limits.</summary>
    public bool EnforceTeamsLimits { get; set; }

    /// <summary>
    /// False for load (the benchmarks): requests are only counted, and their bodies are not parsed unless a limit, hook
    /// or script needs them; recording and parsing every request would make this fake the bottleneck and fill memory.
    /// </summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>Every request answered so far, recorded or not.</summary>
    public long ReceivedCount => Interlocked.Read(ref _received);

    /// <summary>Called for every request before the fault script; return null to fall through.</summary>
    public Func<ConnectorRequest, FakeResponse?>? OnRequest { get; set; }

    public IReadOnlyList<ConnectorRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <param name="timeProvider">Stamps recorded requests and drives <see cref="EnforceTeamsLimits"/>; share the client's fake clock to assert on pacing.</param>
    public static async Task<FakeConnector> StartAsync(TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeConnector(app, timeProvider ?? TimeProvider.System);
        fake.MapRoutes();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.ServiceUrl = address.TrimEnd('/') + RoutePrefix + "/";
        fake.GraphBaseUrl = address.TrimEnd('/') + GraphPrefix;
        return fake;
    }

    /// <summary>The next <paramref name="times"/> requests (to <paramref name="conversationId"/>, if given) get this answer.</summary>
    public void RespondNext(
        int status, TimeSpan? retryAfter = null, string? body = null, string? conversationId = null, int times = 1,
        IReadOnlyDictionary<string, string>? headers = null, TimeSpan? stall = null, bool landed = false)
    {
        lock (_lock)
        {
            _faults.Add(new ScriptedFault(conversationId, new FakeResponse(status, retryAfter, body, headers, stall, landed), times));
        }
    }

    public void RespondAlways(int status, string? conversationId = null, TimeSpan? retryAfter = null, string? body = null) =>
        RespondNext(status, retryAfter, body, conversationId, int.MaxValue);

    /// <summary>Teams' answer when the user blocked or uninstalled the bot (notes §3.3).</summary>
    public void RespondNextWritesBlocked(string? conversationId = null) => RespondNext(
        403,
        body: """{"error":{"code":"Forbidden","message":"The bot is not part of the conversation roster.","subCode":"MessageWritesBlocked"}}""",
        conversationId: conversationId);

    public void ClearScript()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    public void AddMembers(string conversationId, params ChannelAccount[] members) =>
        _members.GetOrAdd(conversationId, _ => []).AddRange(members);

    public void AddTeamChannels(string teamId, params ChannelInfo[] channels) =>
        _channels.GetOrAdd(teamId, _ => []).AddRange(channels);

    /// <summary>Completes when a request matching <paramref name="predicate"/> has arrived (including one that already has).</summary>
    public Task<ConnectorRequest> WaitForAsync(Func<ConnectorRequest, bool> predicate, TimeSpan? timeout = null)
    {
        var signal = new TaskCompletionSource<ConnectorRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var existing = _requests.FirstOrDefault(predicate);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            _waiters.Add((predicate, signal));
        }

        return signal.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void MapRoutes()
    {
        var v3 = _app.MapGroup(RoutePrefix + "/v3");
        v3.MapPost("conversations/{conversationId}/activities", (HttpContext c, string conversationId) =>
            Handle(c, "SendToConversation", conversationId, null, _ => Json(201, new { id = NewActivityId() })));
        v3.MapPost("conversations/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) =>
            Handle(c, "ReplyToActivity", conversationId, activityId, _ => Json(201, new { id = NewActivityId() })));
        v3.MapPut("conversations/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) =>
            Handle(c, "UpdateActivity", conversationId, activityId, _ => Json(200, new { id = activityId })));
        v3.MapDelete("conversations/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) =>
            Handle(c, "DeleteActivity", conversationId, activityId, _ => new FakeResponse(200)));
        v3.MapPost("conversations", CreateConversation);
        v3.MapGet("conversations/{conversationId}/members", (HttpContext c, string conversationId) =>
            Handle(c, "GetConversationMembers", conversationId, null, _ => Json(200, MembersOf(conversationId))));
        v3.MapGet("conversations/{conversationId}/members/{memberId}", (HttpContext c, string conversationId, string memberId) =>
            Handle(c, "GetConversationMember", conversationId, null, _ =>
                MembersOf(conversationId).FirstOrDefault(m => m.Id == memberId || m.AadObjectId == memberId || m.UserPrincipalName == memberId) is { } member
                    ? Json(200, member)
                    : Json(404, new { error = new { code = "MemberNotFoundInConversation", message = "The member was not found." } })));
        v3.MapGet("conversations/{conversationId}/pagedmembers", (HttpContext c, string conversationId) =>
            Handle(c, "GetConversationPagedMembers", conversationId, null, _ => PagedMembers(c, conversationId)));
        v3.MapGet("teams/{teamId}/conversations", (HttpContext c, string teamId) =>
            Handle(c, "GetTeamChannels", teamId, null, _ => Json(200, new { conversations = _channels.TryGetValue(teamId, out var list) ? list.ToArray() : [] })));

        var graph = _app.MapGroup(GraphPrefix);
        graph.MapGet("chats/{chatId}/messages", (HttpContext c, string chatId) =>
            Handle(c, "GraphChatMessages", chatId, null, _ => GraphPage(c, r => r.Route is "SendToConversation" or "ReplyToActivity" && r.ConversationId == chatId)));
        graph.MapGet("teams/{teamId}/channels/{channelId}/messages/delta", (HttpContext c, string teamId, string channelId) =>
            Handle(c, "GraphChannelMessagesDelta", channelId, null, _ => GraphPage(c, r => r.Route == "CreateConversation" && ThreadOf(r.ConversationId ?? "") == channelId)));
        graph.MapGet("teams/{teamId}/channels/{channelId}/messages/{messageId}/replies", (HttpContext c, string teamId, string channelId, string messageId) =>
            Handle(c, "GraphThreadReplies", $"{channelId};messageid={messageId}", null, _ =>
                GraphPage(c, r => r.Route is "SendToConversation" or "ReplyToActivity" && r.ConversationId == $"{channelId};messageid={messageId}")));
    }

    /// <summary>
    /// Graph's list shape: newest first, <c>$top</c> (at most 50), <c>$filter=lastModifiedDateTime gt …</c>, and an
    /// absolute <c>@odata.nextLink</c> while more pages remain. A card attachment's content is the card's JSON in a
    /// string and a text message's body is HTML, as Graph gives them.
    /// </summary>
    private FakeResponse GraphPage(HttpContext context, Func<ConnectorRequest, bool> inConversation)
    {
        var top = int.TryParse(context.Request.Query["$top"], CultureInfo.InvariantCulture, out var t) ? Math.Clamp(t, 1, 50) : 20;
        var skip = int.TryParse(context.Request.Query["$skiptoken"], CultureInfo.InvariantCulture, out var k) ? k : 0;
        var filter = context.Request.Query["$filter"].ToString();
        DateTimeOffset? after = filter.StartsWith("lastModifiedDateTime gt ", StringComparison.Ordinal)
            ? DateTimeOffset.Parse(filter["lastModifiedDateTime gt ".Length..], CultureInfo.InvariantCulture)
            : null;
        var posts = Requests.Where(r => r.Landed && inConversation(r) && (after is null || r.Timestamp > after)).Reverse().ToList();
        var page = posts.Skip(skip).Take(top).Select(GraphMessage).ToList();
        var result = new JsonObject { ["value"] = new JsonArray([.. page]) };
        if (skip + top < posts.Count)
        {
            var query = System.Web.HttpUtility.ParseQueryString(context.Request.QueryString.Value ?? "");
            query["$skiptoken"] = (skip + top).ToString(CultureInfo.InvariantCulture);
            result["@odata.nextLink"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}?{query}";
        }

        return new FakeResponse(200, Body: result.ToJsonString());
    }

    private static JsonObject GraphMessage(ConnectorRequest post)
    {
        var activity = post.Route == "CreateConversation" ? post.Body?["activity"] : post.Body;
        var bot = (post.Body?["from"]?["id"] ?? post.Body?["bot"]?["id"])?.GetValue<string>();
        var time = post.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var application = new JsonObject { ["displayName"] = "Engagements" };
        if (bot is not null)
        {
            application["id"] = bot.StartsWith("28:", StringComparison.Ordinal) ? bot[3..] : bot;
        }

        var attachments = new JsonArray();
        foreach (var attachment in activity?["attachments"]?.AsArray() ?? [])
        {
            attachments.Add(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString("N"),
                ["contentType"] = attachment?["contentType"]?.DeepClone(),
                ["content"] = attachment?["content"]?.ToJsonString(),
            });
        }

        var text = activity?["text"]?.GetValue<string>();
        return new JsonObject
        {
            ["id"] = post.PostedActivityId,
            ["messageType"] = "message",
            ["createdDateTime"] = time,
            ["lastModifiedDateTime"] = time,
            ["from"] = new JsonObject { ["application"] = application },
            ["body"] = new JsonObject
            {
                ["contentType"] = "html",
                // Teams renders the markdown it was sent.
                ["content"] = text is null ? "" : "<p>" + Bold().Replace(System.Net.WebUtility.HtmlEncode(text), "<strong>$1</strong>") + "</p>",
            },
            ["attachments"] = attachments,
        };
    }

    /// <summary>A channel thread's id is "{channelId};messageid={rootActivityId}", as Teams returns it.</summary>
    private Task CreateConversation(HttpContext context) => Handle(context, "CreateConversation", null, null, body =>
    {
        var activityId = NewActivityId();
        var channelId = body?["channelData"]?["channel"]?["id"]?.GetValue<string>();
        var id = body?["isGroup"]?.GetValue<bool>() == true && channelId is not null
            ? $"{channelId};messageid={activityId}"
            : "a:fake-conversation-" + activityId;
        return Json(201, new { id, activityId });
    });

    private async Task Handle(HttpContext context, string route, string? conversationId, string? activityId, Func<JsonNode?, FakeResponse> answer)
    {
        Interlocked.Increment(ref _received);
        if (!RecordRequests && !EnforceTeamsLimits && OnRequest is null && route != "CreateConversation" && !HasScript())
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            await WriteAsync(context, answer(null));
            return;
        }

        var body = await ReadBodyAsync(context.Request);
        var now = _timeProvider.GetUtcNow();
        var draft = new ConnectorRequest(
            context.Request.Method,
            route,
            RawPath(context),
            context.Request.QueryString.HasValue ? context.Request.QueryString.Value : null,
            conversationId,
            activityId,
            context.Request.Headers.Authorization.FirstOrDefault(),
            body,
            now,
            0);

        var response = OnRequest?.Invoke(draft) ?? TakeScriptedFault(draft) ?? Throttle(draft) ?? answer(body);
        var isPost = route is "SendToConversation" or "ReplyToActivity" or "CreateConversation";
        if (isPost && (response.Landed || response.Status is >= 200 and < 300))
        {
            // A fault that landed still got ids, like a post Teams stored before its gateway failed.
            var kept = response.Landed ? answer(body) : response;
            var created = kept.Body is null ? null : JsonNode.Parse(kept.Body);
            draft = route == "CreateConversation"
                ? draft with { ConversationId = created?["id"]?.GetValue<string>(), PostedActivityId = created?["activityId"]?.GetValue<string>() }
                : draft with { PostedActivityId = created?["id"]?.GetValue<string>() };
        }

        if (RecordRequests)
        {
            Record(draft with { ResponseStatus = response.Status });
        }

        await WriteAsync(context, response);
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || !HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method))
        {
            return null;
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }

    private bool HasScript()
    {
        lock (_lock)
        {
            return _faults.Count > 0;
        }
    }

    private FakeResponse? TakeScriptedFault(ConnectorRequest request)
    {
        lock (_lock)
        {
            var index = _faults.FindIndex(f => f.ConversationId is null || f.ConversationId == request.ConversationId);
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (fault.Remaining <= 1)
            {
                _faults.RemoveAt(index);
            }
            else if (fault.Remaining != int.MaxValue)
            {
                _faults[index] = fault with { Remaining = fault.Remaining - 1 };
            }

            return fault.Response;
        }
    }

    /// <summary>Teams' published limits (notes §6.1), counted over requests this fake accepted.</summary>
    private FakeResponse? Throttle(ConnectorRequest request)
    {
        if (!EnforceTeamsLimits || request.Method != HttpMethods.Post)
        {
            return null;
        }

        var thread = ThreadOf(request);
        var tenant = request.Body?["conversation"]?["tenantId"]?.GetValue<string>()
            ?? request.Body?["channelData"]?["tenant"]?["id"]?.GetValue<string>()
            ?? request.Body?["tenantId"]?.GetValue<string>();
        var now = request.Timestamp;
        lock (_lock)
        {
            var threadLog = Log("thread:" + thread);
            var tenantLog = tenant is null ? null : Log("tenant:" + tenant);
            if (Exceeds(threadLog, now, 7, 1) || Exceeds(threadLog, now, 8, 2) || Exceeds(threadLog, now, 60, 30)
                || (tenantLog is not null && Exceeds(tenantLog, now, 50, 1)))
            {
                return new FakeResponse(429, TimeSpan.FromSeconds(1), """{"error":{"code":"TooManyRequests","message":"Too many requests."}}""");
            }

            threadLog.Add(now);
            tenantLog?.Add(now);
            return null;
        }
    }

    private static string ThreadOf(ConnectorRequest request)
    {
        var id = request.ConversationId
            ?? request.Body?["channelData"]?["channel"]?["id"]?.GetValue<string>()
            ?? request.Body?["members"]?[0]?["id"]?.GetValue<string>()
            ?? "";
        return ThreadOf(id);
    }

    private List<DateTimeOffset> Log(string key)
    {
        if (!_accepted.TryGetValue(key, out var log))
        {
            log = [];
            _accepted[key] = log;
        }

        log.RemoveAll(t => t <= _timeProvider.GetUtcNow() - TimeSpan.FromSeconds(31));
        return log;
    }

    private static bool Exceeds(List<DateTimeOffset> log, DateTimeOffset now, int limit, int seconds) =>
        log.Count(t => now - t < TimeSpan.FromSeconds(seconds)) >= limit;

    private void Record(ConnectorRequest request)
    {
        List<TaskCompletionSource<ConnectorRequest>> signalled = [];
        lock (_lock)
        {
            _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(request))
                {
                    signalled.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in signalled)
        {
            signal.TrySetResult(request);
        }
    }

    private static async Task WriteAsync(HttpContext context, FakeResponse response)
    {
        if (response.Stall is { } stall)
        {
            try
            {
                await Task.Delay(stall, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["X-Correlating-OperationId"] = Guid.NewGuid().ToString("N");
        if (response.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    private static FakeResponse Json(int status, object value) => new(status, Body: JsonSerializer.Serialize(value, BotJson.Options));

    private List<ChannelAccount> MembersOf(string conversationId) =>
        _members.TryGetValue(ThreadOf(conversationId), out var list) ? list : [];

    /// <summary>Teams counts a channel's threads against the channel.</summary>
    private static string ThreadOf(string conversationId)
    {
        var index = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return index < 0 ? conversationId : conversationId[..index];
    }

    /// <summary>Like Teams: pageSize clamped to 50..500, continuationToken opaque (here, the next index).</summary>
    private FakeResponse PagedMembers(HttpContext context, string conversationId)
    {
        var members = MembersOf(conversationId);
        var pageSize = int.TryParse(context.Request.Query["pageSize"], CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 50, 500) : 50;
        var start = int.TryParse(context.Request.Query["continuationToken"], CultureInfo.InvariantCulture, out var token) ? token : 0;
        var page = members.Skip(start).Take(pageSize).ToArray();
        var next = start + page.Length < members.Count ? (start + page.Length).ToString(CultureInfo.InvariantCulture) : null;
        return Json(200, new PagedMembersResult { Members = page, ContinuationToken = next });
    }

    private string NewActivityId() => "1:" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial System.Text.RegularExpressions.Regex Bold();

    private sealed record ScriptedFault(string? ConversationId, FakeResponse Response, int Remaining);
}

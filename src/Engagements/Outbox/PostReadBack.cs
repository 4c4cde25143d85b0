using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engagements.BotFramework.Authentication;
using Engagements.Conversations;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Engagements.Outbox;

// Section "Outbox:ReadBack".
public sealed class ReadBackOptions
{
    // Before re-posting a message that may already be in Teams (a takeover after a crash, a 5xx or timeout on the
    // POST), look for it in the conversation through Microsoft Graph. Needs the RSC permissions the app package asks
    // for (ChannelMessage.Read.Group, ChatMessage.Read.Chat); without them Graph answers 403 and the message is
    // re-sent and flagged, as with this off.
    public bool Enabled { get; set; } = true;

    // Sovereign clouds or a loopback test double set their own; plain http only for loopback.
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";
    public string GraphScope { get; set; } = "https://graph.microsoft.com/.default";

    // Pages of 50 messages read before giving up on proving a message absent (it is then re-sent and flagged).
    public int MaxPages { get; set; } = 4;

    // Clocks of Teams and of this process differ; a message is looked for from its row's creation minus this.
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Where Graph keeps a conversation's messages, as far as a bot can read them with resource-specific consent.</summary>
internal abstract record GraphMessages
{
    // A group chat: Graph's chat id is the conversation id.
    public sealed record Chat(string ChatId) : GraphMessages;

    // A new channel post (a thread of its own): the channel's root messages.
    public sealed record Channel(string TeamGroupId, string ChannelId) : GraphMessages;

    // A reply in an existing channel thread.
    public sealed record Thread(string TeamGroupId, string ChannelId, string RootMessageId) : GraphMessages;

    /// <summary>Null for 1:1 chats (a bot's 1:1 conversation id is no Graph chat id) and channels whose team group id is unknown.</summary>
    public static GraphMessages? For(StoredConversation? stored, string conversationId) => stored?.ConversationType switch
    {
        "groupChat" => new Chat(conversationId),
        "channel" when stored.TeamAadGroupId is { } team && OutboxMessage.ThreadRootOf(conversationId) is { } root =>
            new Thread(team, OutboxMessage.ChannelOf(conversationId), root),
        "channel" when stored.TeamAadGroupId is { } team => new Channel(team, stored.TeamsChannelId ?? conversationId),
        _ => null,
    };
}

/// <summary>A post the outbox may have made: found by the marker on its card, or by its text when it has no card.</summary>
internal sealed record PostToFind(GraphMessages Where, string TenantId, string? BotAppId, string Marker, string? Text, DateTimeOffset Since);

internal enum ReadBackVerdict
{
    Landed,
    NotThere,
    Unknown,
}

/// <param name="MessageIds">For Landed: the matching messages, newest first (the caller skips ones another row already owns).</param>
internal sealed record ReadBackResult(ReadBackVerdict Verdict, IReadOnlyList<string> MessageIds, string Detail)
{
    public static ReadBackResult Landed(IReadOnlyList<string> messageIds) =>
        new(ReadBackVerdict.Landed, messageIds, $"read back through Graph: it had landed as {messageIds[0]}");

    public static ReadBackResult Unknown(string detail) => new(ReadBackVerdict.Unknown, [], detail);
}

/// <summary>
/// Reads a conversation back through Microsoft Graph to tell whether a post whose outcome was lost (notes §6.2: the
/// Connector's POST has no idempotency key) is already there. Only a complete read of everything since the post
/// could have been made counts as NotThere; anything less is Unknown, and the caller re-sends and flags, as before.
/// </summary>
internal sealed partial class PostReadBack(HttpClient http, OutboundTokenProvider tokens, IOptions<OutboxOptions> options, ILogger<PostReadBack> logger)
{
    public const string MarkerPrefix = "engagements-outbox-";
    private const int PageSize = 50;
    private readonly ReadBackOptions _options = options.Value.ReadBack;
    private readonly Uri _base = GraphBase(options.Value.ReadBack.GraphBaseUrl);

    public bool Enabled => _options.Enabled;

    public static string MarkerFor(long sequence) => MarkerPrefix + sequence.ToString(CultureInfo.InvariantCulture);

    public async Task<ReadBackResult> FindAsync(PostToFind post, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(post.TenantId, cancellationToken);
        if (token.Failure is { } failure)
        {
            return ReadBackResult.Unknown(failure);
        }

        try
        {
            return await ReadAsync(post, token.Value, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Graph being down must not hold deliveries back: the message is re-sent and flagged, as without read-back.
            LogGraphUnreachable(logger, ex, post.Where.ToString());
            return ReadBackResult.Unknown($"Graph could not be read: {ex.GetType().Name}");
        }
    }

    private async Task<ReadBackResult> ReadAsync(PostToFind post, string? bearer, CancellationToken cancellationToken)
    {
        var next = new Uri(_base, FirstPage(post));
        var found = new List<string>();
        for (var page = 0; page < _options.MaxPages; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogGraphRefused(logger, (int)response.StatusCode, post.Where.ToString(), response.StatusCode == HttpStatusCode.Forbidden
                    ? "grant the app package's resource-specific permissions (ChannelMessage.Read.Group, ChatMessage.Read.Chat)"
                    : "the message is re-sent and flagged");
                return ReadBackResult.Unknown($"Graph answered {(int)response.StatusCode} reading {post.Where}");
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            var root = document.RootElement;
            if (root.TryGetProperty("value", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                found.AddRange(messages.EnumerateArray().Where(m => Matches(m, post)).Select(m => m.GetProperty("id").GetString()!));
            }

            var lastPage = !root.TryGetProperty("@odata.nextLink", out var link) || link.GetString() is null;
            // Chats and channel deltas are filtered to what changed since the post could have been made: a match is enough.
            if (found.Count > 0 && (lastPage || post.Where is not GraphMessages.Thread))
            {
                return ReadBackResult.Landed(found);
            }

            if (lastPage)
            {
                return new ReadBackResult(ReadBackVerdict.NotThere, [], "read back through Graph: it had not landed");
            }

            // The bearer token goes to Graph only, never to a host a response names.
            next = new Uri(link.GetString()!);
            if (!string.Equals(next.Authority, _base.Authority, StringComparison.OrdinalIgnoreCase))
            {
                return ReadBackResult.Unknown($"Graph's next page is on another host ({next.Authority})");
            }
        }

        return found.Count > 0
            ? ReadBackResult.Landed(found)
            : ReadBackResult.Unknown($"more than {_options.MaxPages} pages of messages since {post.Since:O}; not proven absent");
    }

    private string FirstPage(PostToFind post)
    {
        var since = Uri.EscapeDataString(post.Since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        return post.Where switch
        {
            // Graph filters a chat's messages by lastModifiedDateTime only when also ordered by it.
            GraphMessages.Chat chat =>
                $"chats/{Escape(chat.ChatId)}/messages?$top={PageSize}&$orderby=lastModifiedDateTime%20desc&$filter=lastModifiedDateTime%20gt%20{since}",
            GraphMessages.Channel channel =>
                $"teams/{Escape(channel.TeamGroupId)}/channels/{Escape(channel.ChannelId)}/messages/delta?$top={PageSize}&$filter=lastModifiedDateTime%20gt%20{since}",
            GraphMessages.Thread thread =>
                $"teams/{Escape(thread.TeamGroupId)}/channels/{Escape(thread.ChannelId)}/messages/{Escape(thread.RootMessageId)}/replies?$top={PageSize}",
            _ => throw new ArgumentOutOfRangeException(nameof(post)),
        };
    }

    private static bool Matches(JsonElement message, PostToFind post)
    {
        if (!message.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // A thread's replies come unfiltered; what was there before the post could have been made is someone else's.
        if (message.TryGetProperty("createdDateTime", out var created) && created.TryGetDateTimeOffset(out var createdAt) && createdAt < post.Since)
        {
            return false;
        }

        // Only the bot's own messages: from.application, with our app id when we know it.
        if (!message.TryGetProperty("from", out var from) || from.ValueKind != JsonValueKind.Object
            || !from.TryGetProperty("application", out var application) || application.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (post.BotAppId is not null && application.TryGetProperty("id", out var appId) && appId.GetString() is { } author
            && !string.Equals(author, post.BotAppId, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array
            && attachments.EnumerateArray().Any(a => CardId(a) == post.Marker))
        {
            return true;
        }

        return post.Text is not null
            && message.TryGetProperty("body", out var body) && body.TryGetProperty("content", out var content)
            && PlainText(content.GetString()) == PlainText(post.Text);
    }

    // Graph gives a card attachment's content as the card's JSON in a string.
    private static string? CardId(JsonElement attachment)
    {
        if (!attachment.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            using var card = JsonDocument.Parse(content.GetString()!);
            return card.RootElement.ValueKind == JsonValueKind.Object && card.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Graph returns a text message as HTML; compare what a reader sees, without tags, markdown emphasis or spacing.
    internal static string PlainText(string? text)
    {
        var withoutTags = Tags().Replace(text ?? "", " ");
        var decoded = WebUtility.HtmlDecode(withoutTags);
        var withoutMarkdown = Emphasis().Replace(decoded, "");
        return Spacing().Replace(withoutMarkdown, " ").Trim();
    }

    private async Task<(string? Value, string? Failure)> TokenAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!tokens.IsEnabled)
        {
            // Development without credentials: only a loopback Graph double is read, without a token.
            return _base.IsLoopback ? (null, null) : (null, "no Bot:AppId to read Graph with");
        }

        try
        {
            // The bot's own app reads with resource-specific consent, which is granted in the customer's tenant.
            var result = await tokens.Application.AcquireTokenForClient([_options.GraphScope]).WithTenantId(tenantId).ExecuteAsync(cancellationToken);
            return (result.AccessToken, null);
        }
        catch (MsalException ex)
        {
            LogTokenFailed(logger, ex, tenantId);
            return (null, $"no Graph token for tenant {tenantId}: {ex.ErrorCode}");
        }
    }

    /// <summary>The bearer token goes only to https, or plain http to a loopback test double.</summary>
    public static bool IsAllowedGraphBase(string? baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    private static Uri GraphBase(string baseUrl) => IsAllowedGraphBase(baseUrl)
        ? new Uri(baseUrl.TrimEnd('/') + "/")
        : throw new InvalidOperationException("Outbox:ReadBack:GraphBaseUrl must be https (plain http is allowed only for a loopback test endpoint).");

    private static string Escape(string value) => Uri.EscapeDataString(value);

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"(\*\*|__|~~|`)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spacing();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox read-back: Graph answered {StatusCode} reading {Where}; {Advice}")]
    private static partial void LogGraphRefused(ILogger logger, int statusCode, string where, string advice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox read-back: Graph could not be read for {Where}; the message is re-sent and flagged")]
    private static partial void LogGraphUnreachable(ILogger logger, Exception exception, string where);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox read-back: no Graph token for tenant {TenantId}")]
    private static partial void LogTokenFailed(ILogger logger, Exception exception, string tenantId);
}

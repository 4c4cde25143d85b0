using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Engagements.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Connector;

/// <summary>
/// The Bot Connector REST client (notes §3). The token is added by <see cref="BotTokenHandler"/>; this class builds
/// URLs, paces writes with <see cref="TeamsRateLimiter"/>, retries what Teams says to retry (notes §6.1) and
/// classifies the outcome into a <see cref="SendResult"/>.
/// </summary>
public sealed partial class ConnectorClient(
    HttpClient httpClient,
    TeamsRateLimiter rateLimiter,
    TimeProvider timeProvider,
    IOptions<ConnectorOptions> options,
    ILogger<ConnectorClient> logger) : IConnectorClient
{
    private const string CorrelationHeader = "X-Correlating-OperationId";
    private readonly ConnectorOptions _options = options.Value;

    public Task<SendResult> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default, bool retryAmbiguous = true)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return WriteAsync(
            "Send", HttpMethod.Post, serviceUrl, conversationId,
            $"v3/conversations/{Escape(conversationId)}/activities", activity,
            new Pacing(conversationId, activity.GetTenantId()), cancellationToken, retryAmbiguous);
    }

    public Task<SendResult> ReplyAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.ReplyToId ??= replyToId;
        return WriteAsync(
            "Reply", HttpMethod.Post, serviceUrl, conversationId,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(replyToId)}", activity,
            new Pacing(conversationId, activity.GetTenantId()), cancellationToken);
    }

    public Task<SendResult> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.Id ??= activityId;
        return WriteAsync(
            "Update", HttpMethod.Put, serviceUrl, conversationId,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity,
            pacing: null, cancellationToken);
    }

    public Task<SendResult> DeleteAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken = default) =>
        WriteAsync(
            "Delete", HttpMethod.Delete, serviceUrl, conversationId,
            $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", body: null,
            pacing: null, cancellationToken);

    public async Task<SendResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default, bool retryAmbiguous = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var body = WithTenantInBothPlaces(parameters);
        var target = body.ChannelData?.Channel?.Id ?? body.Members?.FirstOrDefault()?.Id ?? "";
        var result = await WriteAsync(
            "CreateConversation", HttpMethod.Post, serviceUrl, target, "v3/conversations", body,
            new Pacing(target, body.TenantId), cancellationToken, retryAmbiguous);
        return result;
    }

    public async Task<ChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default)
    {
        var response = await ExecuteAsync(
            "GetMember", HttpMethod.Get, serviceUrl, conversationId,
            $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", null, null, mayDuplicate: false, retryAmbiguous: true, cancellationToken);
        if (response.StatusCode == (int)HttpStatusCode.NotFound)
        {
            return null;
        }

        return ReadOrThrow<ChannelAccount>(response, "GetMember");
    }

    public async Task<PagedMembersResult> GetPagedMembersAsync(string serviceUrl, string conversationId, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var path = $"v3/conversations/{Escape(conversationId)}/pagedmembers?pageSize={pageSize}";
        if (!string.IsNullOrEmpty(continuationToken))
        {
            path += $"&continuationToken={Uri.EscapeDataString(continuationToken)}";
        }

        var response = await ExecuteAsync("GetPagedMembers", HttpMethod.Get, serviceUrl, conversationId, path, null, null, mayDuplicate: false, retryAmbiguous: true, cancellationToken);
        return ReadOrThrow<PagedMembersResult>(response, "GetPagedMembers") ?? new PagedMembersResult();
    }

    public async Task<IReadOnlyList<ChannelInfo>> GetTeamChannelsAsync(string serviceUrl, string teamId, CancellationToken cancellationToken = default)
    {
        var response = await ExecuteAsync(
            "GetTeamChannels", HttpMethod.Get, serviceUrl, teamId,
            $"v3/teams/{Escape(teamId)}/conversations", null, null, mayDuplicate: false, retryAmbiguous: true, cancellationToken);
        return ReadOrThrow<ConversationList>(response, "GetTeamChannels")?.Conversations.ToList() ?? [];
    }

    /// <summary>
    /// Joins serviceUrl and a relative route. Real Teams sends serviceUrl with a trailing slash and a path
    /// (<c>https://smba.trafficmanager.net/amer/</c>); the Agents Playground sends none (<c>…/_connector</c>).
    /// Both must keep their path, and neither may produce <c>//v3</c>.
    /// </summary>
    public static Uri BuildUri(string serviceUrl, string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceUrl);
        if (!Uri.TryCreate(serviceUrl.TrimEnd('/') + "/" + relativePath.TrimStart('/'), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"serviceUrl '{serviceUrl}' is not an absolute http(s) URL.", nameof(serviceUrl));
        }

        return uri;
    }

    /// <summary>Teams ids contain ':', '@' and ';' (notes §3.1); each path segment is escaped on its own.</summary>
    private static string Escape(string segment)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        return Uri.EscapeDataString(segment);
    }

    /// <summary>Teams wants the tenant top-level and in channelData (notes §3.3); fill whichever is missing without touching the caller's object.</summary>
    private static ConversationParameters WithTenantInBothPlaces(ConversationParameters p)
    {
        var tenantId = p.TenantId ?? p.ChannelData?.Tenant?.Id ?? p.Activity?.GetTenantId();
        if (tenantId is null)
        {
            return p;
        }

        var channelData = p.ChannelData ?? new TeamsChannelData();
        if (channelData.Tenant?.Id is null)
        {
            channelData = new TeamsChannelData
            {
                Tenant = new TenantInfo { Id = tenantId },
                Team = channelData.Team,
                Channel = channelData.Channel,
                EventType = channelData.EventType,
                Notification = channelData.Notification,
                Settings = channelData.Settings,
                ExtensionData = channelData.ExtensionData,
            };
        }

        return new ConversationParameters
        {
            IsGroup = p.IsGroup,
            Bot = p.Bot,
            Members = p.Members,
            TopicName = p.TopicName,
            TenantId = tenantId,
            Activity = p.Activity,
            ChannelData = channelData,
        };
    }

    private async Task<SendResult> WriteAsync(
        string operation, HttpMethod method, string serviceUrl, string conversationId, string path, object? body, Pacing? pacing,
        CancellationToken cancellationToken, bool retryAmbiguous = true)
    {
        AttemptResult response;
        try
        {
            response = await ExecuteAsync(
                operation, method, serviceUrl, conversationId, path, body, pacing, mayDuplicate: method == HttpMethod.Post, retryAmbiguous, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            return new SendResult(SendOutcome.Failed, ErrorCode: "InvalidServiceUrl", ErrorMessage: ex.Message);
        }

        return Classify(operation, response);
    }

    private SendResult Classify(string operation, AttemptResult r)
    {
        if (r.Refused is not null)
        {
            return new SendResult(SendOutcome.Failed, ErrorCode: "ServiceUrlNotAllowed", ErrorMessage: r.Refused.Message);
        }

        if (r.IsSuccess)
        {
            string? activityId = null;
            string? conversationId = null;
            if (!string.IsNullOrWhiteSpace(r.Body))
            {
                // 202 (e.g. the Playground splitting text + card) may carry no id at all.
                var created = TryDeserialize<ConversationResourceResponse>(r.Body);
                activityId = operation == "CreateConversation" ? created?.ActivityId : created?.Id;
                conversationId = operation == "CreateConversation" ? created?.Id : null;
            }

            return new SendResult(SendOutcome.Sent, activityId, conversationId, r.StatusCode, Ambiguous: r.Ambiguous);
        }

        var error = r.Body is null ? null : TryDeserialize<ErrorResponse>(r.Body)?.Error;
        var outcome = r.StatusCode switch
        {
            429 => SendOutcome.Throttled,
            404 => SendOutcome.RecipientGone,
            403 when IsWritesBlocked(r.Body) => SendOutcome.WritesBlocked,
            _ => SendOutcome.Failed,
        };

        LogFailed(logger, operation, r.ConversationId, r.StatusCode, error?.Code, outcome, r.Ambiguous, r.CorrelationId);
        return new SendResult(
            outcome,
            StatusCode: r.StatusCode == 0 ? null : r.StatusCode,
            RetryAfter: outcome == SendOutcome.Throttled ? r.RetryAfter : null,
            ErrorCode: IsWritesBlocked(r.Body) ? "MessageWritesBlocked" : error?.Code ?? r.TransportError,
            ErrorMessage: error?.Message,
            Ambiguous: r.Ambiguous);
    }

    private static bool IsWritesBlocked(string? body) =>
        body is not null && body.Contains("MessageWritesBlocked", StringComparison.OrdinalIgnoreCase);

    private T? ReadOrThrow<T>(AttemptResult r, string operation)
        where T : class
    {
        if (r.Refused is not null)
        {
            throw r.Refused;
        }

        if (!r.IsSuccess)
        {
            var error = r.Body is null ? null : TryDeserialize<ErrorResponse>(r.Body)?.Error;
            LogFailed(logger, operation, r.ConversationId, r.StatusCode, error?.Code, SendOutcome.Failed, false, r.CorrelationId);
            throw new ConnectorException(operation, r.StatusCode, error?.Code ?? r.TransportError, error?.Message, r.CorrelationId);
        }

        return string.IsNullOrWhiteSpace(r.Body) ? null : TryDeserialize<T>(r.Body);
    }

    private static T? TryDeserialize<T>(string body)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, BotJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<AttemptResult> ExecuteAsync(
        string operation, HttpMethod method, string serviceUrl, string conversationId, string path, object? body,
        Pacing? pacing, bool mayDuplicate, bool retryAmbiguous, CancellationToken cancellationToken)
    {
        var uri = BuildUri(serviceUrl, path);
        var ambiguous = false;
        for (var attempt = 0; ; attempt++)
        {
            // The slot counts until the response arrives: only then do we know Teams has counted the request.
            var slot = pacing is { } p ? await rateLimiter.WaitAsync(p.ConversationId, p.TenantId, cancellationToken) : null;

            AttemptResult result;
            TimeSpan? retryAfter = null;
            var retryable = false;
            try
            {
                using var request = new HttpRequestMessage(method, uri);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body, body.GetType(), options: BotJson.Options);
                }

                using var response = await httpClient.SendAsync(request, cancellationToken);
                slot?.Dispose();
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                retryAfter = ReadRetryAfter(response);
                result = new AttemptResult(conversationId, status, text, Header(response, CorrelationHeader), retryAfter);

                // A 5xx on a POST may have been processed before the gateway failed (notes §6.2).
                ambiguous |= mayDuplicate && status >= 500;
                retryable = status is 429 or 412 or 502 or 503 or 504;
            }
            catch (ServiceUrlNotAllowedException ex)
            {
                return new AttemptResult(conversationId, 0, null, null, null) { Refused = ex };
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or TaskCanceledException)
            {
                // Connection failures never reached the server; a timeout or a reset mid-request may have.
                var neverSent = ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
                ambiguous |= mayDuplicate && !neverSent;
                retryable = true;
                result = new AttemptResult(conversationId, 0, null, null, null) { TransportError = ex is TaskCanceledException ? "Timeout" : ex.GetType().Name };
            }
            finally
            {
                slot?.Dispose();
            }

            result = result with { Ambiguous = ambiguous };
            if (!retryable || attempt >= _options.MaxRetries || (ambiguous && !retryAmbiguous))
            {
                return result;
            }

            if (retryAfter > _options.MaxRetryAfter)
            {
                // Waiting minutes in-process would pin the caller; hand the delay back as Throttled instead.
                return result;
            }

            var delay = retryAfter ?? Backoff(attempt);
            LogRetrying(logger, operation, conversationId, result.StatusCode, attempt + 1, delay, result.CorrelationId);
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    /// <summary>Exponential backoff with ±20 % jitter, the shape Teams' sample uses (notes §6.1).</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var capped = Math.Min(exponential, _options.RetryMaxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var delay = date - timeProvider.GetUtcNow();
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {Operation} to {ConversationId} got {StatusCode}; retry {Attempt} in {Delay} (correlation {CorrelationId})")]
    private static partial void LogRetrying(ILogger logger, string operation, string conversationId, int statusCode, int attempt, TimeSpan delay, string? correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Operation} to {ConversationId} failed with {StatusCode} {ErrorCode}: {Outcome}, ambiguous {Ambiguous} (correlation {CorrelationId})")]
    private static partial void LogFailed(ILogger logger, string operation, string conversationId, int statusCode, string? errorCode, SendOutcome outcome, bool ambiguous, string? correlationId);

    private readonly record struct Pacing(string ConversationId, string? TenantId);

    private sealed record AttemptResult(string ConversationId, int StatusCode, string? Body, string? CorrelationId, TimeSpan? RetryAfter)
    {
        public bool Ambiguous { get; init; }
        public string? TransportError { get; init; }
        public ServiceUrlNotAllowedException? Refused { get; init; }
        public bool IsSuccess => StatusCode is >= 200 and < 300;
    }
}

/// <summary>A read call (members, channels) failed after retries.</summary>
public sealed class ConnectorException(string operation, int statusCode, string? errorCode, string? errorMessage, string? correlationId)
    : Exception($"Connector {operation} failed with {(statusCode == 0 ? "no response" : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))} {errorCode}: {errorMessage}")
{
    public string Operation { get; } = operation;
    public int StatusCode { get; } = statusCode;
    public string? ErrorCode { get; } = errorCode;
    public string? CorrelationId { get; } = correlationId;
}

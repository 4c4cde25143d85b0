using System.Text.Json;
using Engagements.BotFramework.Authentication;
using Engagements.BotFramework.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagements.BotFramework.Hosting;

/// <summary>
/// <c>POST /api/messages</c>: 405 → 413 → 401 (no header) → 400 → 401 (token) → channel and tenant filter (200) → bot.
/// </summary>
/// <remarks>
/// A missing header is refused before the body is parsed, so anonymous callers cannot make us deserialize anything.
/// The token itself is validated after parsing because the serviceurl and endorsement checks need the activity.
/// </remarks>
internal static partial class BotMessagesEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = HttpMethods.Post;
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var services = context.RequestServices;
        var settings = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotMessagesEndpoint).FullName!);
        var cancellationToken = context.RequestAborted;

        if (request.ContentLength > settings.MaxRequestBodyBytes)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var authorization = request.Headers.Authorization;
        var anonymous = services.GetRequiredService<AnonymousModeGuard>().IsAnonymousAllowed;
        if (authorization.Count == 0 && !anonymous)
        {
            LogMissingHeader(logger);
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = await ReadCappedAsync(request.Body, settings.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var activity = Deserialize(body);
        if (activity is null || string.IsNullOrEmpty(activity.Type))
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // A header present in anonymous mode is still validated and, with no app id, refused (as the SDK does).
        if (authorization.Count > 0)
        {
            var validator = services.GetRequiredService<BotTokenValidator>();
            // Several Authorization headers join with ',' and then fail the two-part 'Bearer <token>' check.
            var result = await validator.ValidateAsync(authorization.ToString(), activity, cancellationToken);
            if (!result.Succeeded)
            {
                response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        // Teams only; the Agents Playground may speak as another channel, and only reaches us anonymously.
        if (!anonymous && activity.ChannelId != Channels.MsTeams)
        {
            LogIgnoredChannel(logger, activity.Id, activity.ChannelId);
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var tenantId = activity.GetTenantId();
        if (settings.AllowedTenants.Length > 0
            && (tenantId is null || !settings.AllowedTenants.Contains(tenantId, StringComparer.OrdinalIgnoreCase)))
        {
            LogIgnoredTenant(logger, activity.Id, tenantId);
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var invokeResponse = await services.GetRequiredService<IBot>().OnTurnAsync(activity, cancellationToken);
        if (activity.Type != ActivityTypes.Invoke)
        {
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (invokeResponse is null)
        {
            response.StatusCode = StatusCodes.Status501NotImplemented;
            return;
        }

        response.StatusCode = invokeResponse.Status;
        if (invokeResponse.Body is not null)
            await response.WriteAsJsonAsync(invokeResponse.Body, invokeResponse.Body.GetType(), BotJson.Options, cancellationToken);
    }

    // Content-Length can be absent (chunked) or lie, so the read itself stops one byte past the limit.
    private static async Task<byte[]?> ReadCappedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Activity? Deserialize(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<Activity>(body, BotJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused inbound request: missing Authorization header")]
    private static partial void LogMissingHeader(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored activity {ActivityId} from channel {ChannelId}: this bot serves Teams only")]
    private static partial void LogIgnoredChannel(ILogger logger, string? activityId, string? channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored activity {ActivityId} from tenant {TenantId}: not in Bot:AllowedTenants")]
    private static partial void LogIgnoredTenant(ILogger logger, string? activityId, string? tenantId);
}

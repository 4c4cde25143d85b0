using System.Text.Json;
using Engagements.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Engagements.Intake;

public static partial class IntakeApi
{
    private static readonly AuditActor CrmActor = new(null, "CRM webhook");

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/crm/opportunities", ReceiveOpportunityAsync)
            .WithName("ReceiveCrmOpportunity")
            .DisableAntiforgery();
        return app;
    }

    // The body is read raw (capped) because the signature covers the exact bytes; JSON is parsed only once it is trusted.
    private static async Task<IResult> ReceiveOpportunityAsync(
        HttpRequest request, IntakeService intake, IOptionsMonitor<CrmOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(IntakeApi).FullName!);
        var settings = options.CurrentValue;
        var body = await ReadCappedAsync(request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"The body must be at most {settings.MaxBodyBytes} bytes.");
        }
        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            LogNoSecret(logger);
        }
        if (!WebhookSignature.IsValid(settings.WebhookSecret, request.Headers[WebhookSignature.Header].FirstOrDefault(), body))
        {
            LogBadSignature(logger, request.HttpContext.Connection.RemoteIpAddress?.ToString());
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Bad signature",
                detail: $"{WebhookSignature.Header} must be sha256=<hex HMAC-SHA256 of the raw body with Crm:WebhookSecret>.");
        }

        OpportunityPayload? payload;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: "The body must be a JSON object.");
            }
            try
            {
                payload = document.RootElement.Deserialize<OpportunityPayload>(JsonSerializerOptions.Web);
            }
            catch (JsonException e)
            {
                // Well-formed JSON with a value of the wrong type (e.g. "seats": "many"): a field-level 422.
                var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
                return Unprocessable([new(field, $"{field} has the wrong type or format.")]);
            }
        }
        catch (JsonException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: "The body is not valid JSON.");
        }

        var result = await intake.IntakeAsync(payload!, new IntakeContext(CrmActor, AuditSource.Webhook), cancellationToken);
        return result.Status switch
        {
            IntakeStatus.Invalid => Unprocessable(result.Violations),
            IntakeStatus.Stored => TypedResults.Accepted((string?)null, Body(payload!, result, "stored")),
            IntakeStatus.AlreadyProcessed => TypedResults.Ok(Body(payload!, result, "already-processed")),
            _ => TypedResults.Ok(Body(payload!, result, "engagement-created")),
        };
    }

    // The CRM's own ids are echoed as sent; engagementId is ours, stable across replays.
    private static object Body(OpportunityPayload payload, IntakeResult result, string status) => new
    {
        status,
        opportunityId = payload.OpportunityId?.Trim(),
        customerCrmId = payload.Customer?.CrmId?.Trim(),
        engagementId = result.EngagementId,
        assignmentRequestId = result.AssignmentRequestId,
        approvalCardPosted = result.Status == IntakeStatus.EngagementCreated ? result.ApprovalCardPosted : (bool?)null,
        postCloseChecklistSentTo = result.ChecklistSentTo,
    };

    private static ProblemHttpResult Unprocessable(IReadOnlyList<Data.RuleViolation> violations) => TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(
        violations.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray()))
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "The opportunity breaks the intake rules; nothing was written.",
        Detail = string.Join(" ", violations.Select(v => $"{v.Field}: {v.Message}")),
    });

    /// <summary>The body, or null when it exceeds the cap (checked on Content-Length and while reading).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a CRM webhook with a missing or bad signature from {RemoteAddress}")]
    private static partial void LogBadSignature(ILogger logger, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Crm:WebhookSecret is not configured; every CRM webhook is refused")]
    private static partial void LogNoSecret(ILogger logger);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Engagements.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Engagements.Usage;

/// <summary>
/// The usage pipeline's endpoints (SPEC §3.5). Each takes a JSON array, or an object holding the array
/// (<c>{"events": [...]}</c>, <c>{"readings": [...]}</c>, <c>{"signals": [...]}</c>), or a single item.
/// 401 without a valid X-Api-Key, 413 over the body cap, 400 for malformed JSON, 422 naming the bad item's index and field.
/// </summary>
public static class UsageApi
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(RequireApiKey);

        api.MapPost("/usage/events", async (HttpContext http, UsageIngestion ingestion, IOptionsMonitor<UsageOptions> options, CancellationToken ct) =>
            await IngestAsync<UsageEventInput>(http, "events", options.CurrentValue.MaxEventsBodyBytes, ingestion.IngestEventsAsync, ct));

        api.MapPost("/usage/seats", async (HttpContext http, UsageIngestion ingestion, IOptionsMonitor<UsageOptions> options, CancellationToken ct) =>
            await IngestAsync<SeatReadingInput>(http, "readings", options.CurrentValue.MaxBodyBytes, ingestion.IngestSeatsAsync, ct));

        api.MapPost("/signals", async (HttpContext http, UsageIngestion ingestion, IOptionsMonitor<UsageOptions> options, CancellationToken ct) =>
            await IngestAsync<SignalInput>(http, "signals", options.CurrentValue.MaxBodyBytes, ingestion.IngestSignalsAsync, ct));

        return app;
    }

    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var keys = http.RequestServices.GetRequiredService<IOptionsMonitor<UsageOptions>>().CurrentValue.ApiKeys;
        var presented = http.Request.Headers[ApiKeyHeader].ToString();
        return presented.Length > 0 && keys.Any(k => k.Length > 0 && KeysMatch(k, presented))
            ? await next(context)
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid X-Api-Key header is required.");
    }

    // Hashing first gives equal-length inputs, so the constant-time compare does not leak the key's length either.
    private static bool KeysMatch(string configured, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    private static async Task<IResult> IngestAsync<T>(
        HttpContext http, string arrayName, int maxBytes, Func<IReadOnlyList<T>, CancellationToken, Task<IngestionResult>> ingest,
        CancellationToken cancellationToken)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        if (http.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        var body = await ReadCappedAsync(http.Request.Body, maxBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(maxBytes);
        }

        List<T> items;
        try
        {
            items = ParseBatch<T>(body.Value, arrayName);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON.",
                detail: ex.Path is null ? "The body is not valid JSON." : $"Invalid value at {ex.Path}.");
        }

        if (items.Count == 0)
        {
            return Unprocessable([new(arrayName, "The batch is empty.")]);
        }

        try
        {
            return TypedResults.Ok(await ingest(items, cancellationToken));
        }
        catch (RuleViolationException ex)
        {
            return Unprocessable(ex.Violations);
        }
    }

    private static List<T> ParseBatch<T>(ReadOnlyMemory<byte> body, string arrayName)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var options = JsonSerializerOptions.Web;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.Deserialize<List<T>>(options) ?? [];
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Expected a JSON array or object.", "$", null, null);
        }

        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, arrayName, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.Deserialize<List<T>>(options) ?? [];
            }
        }

        return [root.Deserialize<T>(options)!];
    }

    private static async Task<ReadOnlyMemory<byte>?> ReadCappedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static IResult TooLarge(int maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large.",
            detail: $"At most {maxBytes} bytes per request; split the batch.");

    private static IResult Unprocessable(IReadOnlyList<RuleViolation> violations) =>
        Results.ValidationProblem(
            violations.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray()),
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The batch was rejected; nothing of it was stored.",
            detail: string.Join(" ", violations.Take(3).Select(v => $"{v.Field}: {v.Message}")),
            extensions: new Dictionary<string, object?> { ["index"] = IndexOf(violations[0].Field) });

    private static int? IndexOf(string field)
    {
        var open = field.IndexOf('[', StringComparison.Ordinal);
        var close = field.IndexOf(']', StringComparison.Ordinal);
        return open >= 0 && close > open && int.TryParse(field.AsSpan(open + 1, close - open - 1), out var index) ? index : null;
    }
}

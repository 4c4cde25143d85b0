using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Engagements.Links;

public sealed class LinksOptions
{
    // HMAC-SHA256 key for links in emails (surveys, unsubscribe). Unset: a random key per process, so links stop
    // working after a restart (fine for development, never for production).
    public string? SigningKey { get; set; }

    // Where the links point: the bot's public base URL.
    public string BaseUrl { get; set; } = "http://localhost:3978";
}

/// <summary>
/// Small self-contained signed, expiring tokens for one-click links: base64url(JSON payload) "." base64url(HMAC).
/// The purpose is inside the signed payload, so a token minted for one endpoint is refused by another.
/// </summary>
public sealed class SignedLinks(IOptions<LinksOptions> options, TimeProvider clock)
{
    private readonly byte[] key = options.Value.SigningKey is { Length: > 0 } configured
        ? Encoding.UTF8.GetBytes(configured)
        : RandomNumberGenerator.GetBytes(32);

    public string BaseUrl => options.Value.BaseUrl.TrimEnd('/');

    public string Create(string purpose, IReadOnlyDictionary<string, string> claims, TimeSpan lifetime)
    {
        var payload = new Payload(purpose, clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds(), new Dictionary<string, string>(claims));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        return body + "." + Base64Url(Sign(body));
    }

    /// <summary>Null when the token is malformed, tampered with, minted for another purpose or expired.</summary>
    public IReadOnlyDictionary<string, string>? Read(string purpose, string? token)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0 || token.Length > 4096)
        {
            return null;
        }

        var body = token[..dot];
        if (!TryBase64Url(token[(dot + 1)..], out var signature) || !CryptographicOperations.FixedTimeEquals(signature, Sign(body)))
        {
            return null;
        }

        try
        {
            var payload = TryBase64Url(body, out var json) ? JsonSerializer.Deserialize<Payload>(json) : null;
            return payload is not null && payload.P == purpose && payload.E > clock.GetUtcNow().ToUnixTimeSeconds() ? payload.C : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private byte[] Sign(string body) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        var buffer = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            bytes = [];
            return false;
        }

        bytes = buffer[..written];
        return true;
    }

    private sealed record Payload(string P, long E, Dictionary<string, string> C);
}

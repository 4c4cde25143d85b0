using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Engagements.Links;

public sealed class LinksOptions
{
    // Any string; at least 32 characters in production. Absent in development: a random key per process.
    public string? SigningKey { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);
}

public sealed class AppOptions
{
    // Where people's browsers reach this app; signed links (exports, surveys, unsubscribe) start with it.
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:3978";
}

/// <summary>
/// Expiring, tamper-proof tokens for links opened outside Teams (downloads, surveys, unsubscribe), where no bot token
/// authenticates the request: the token itself is the permission. Format: base64url(purpose, expiry, subject) "." base64url(HMAC-SHA256).
/// </summary>
public sealed class SignedLinks
{
    private readonly byte[] key;
    private readonly TimeProvider clock;
    private readonly LinksOptions links;
    private readonly AppOptions app;

    public SignedLinks(IOptions<LinksOptions> linksOptions, IOptions<AppOptions> appOptions, IHostEnvironment environment, TimeProvider timeProvider)
    {
        links = linksOptions.Value;
        app = appOptions.Value;
        clock = timeProvider;
        key = links.SigningKey is { Length: > 0 } configured
            ? Encoding.UTF8.GetBytes(configured)
            : environment.IsDevelopment()
                ? RandomNumberGenerator.GetBytes(32)
                : throw new InvalidOperationException("Links:SigningKey is required outside development (signed links would not survive a restart or reach other instances).");
        if (key.Length < 32 && !environment.IsDevelopment())
        {
            throw new InvalidOperationException("Links:SigningKey must be at least 32 characters.");
        }
    }

    public TimeSpan Lifetime => links.Lifetime;

    /// <summary>A token binding a purpose (e.g. "follow-up-export") to a subject until now + lifetime.</summary>
    public string CreateToken(string purpose, string subject, TimeSpan? lifetime = null)
    {
        var expires = clock.GetUtcNow() + (lifetime ?? links.Lifetime);
        var payload = Payload(purpose, expires.ToUnixTimeSeconds(), subject);
        return WebEncoders.Base64UrlEncode(payload) + "." + WebEncoders.Base64UrlEncode(Sign(payload));
    }

    /// <summary>An absolute URL: App:PublicBaseUrl + path with the token appended as the last segment.</summary>
    public Uri CreateLink(string path, string purpose, string subject, TimeSpan? lifetime = null) =>
        new($"{app.PublicBaseUrl.TrimEnd('/')}/{path.Trim('/')}/{CreateToken(purpose, subject, lifetime)}");

    /// <summary>The subject when the token was made here for this purpose and has not expired; null otherwise.</summary>
    public string? Verify(string purpose, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || token.Split('.') is not [var encodedPayload, var encodedSignature])
        {
            return null;
        }

        byte[] payload, signature;
        try
        {
            payload = WebEncoders.Base64UrlDecode(encodedPayload);
            signature = WebEncoders.Base64UrlDecode(encodedSignature);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(Sign(payload), signature))
        {
            return null;
        }

        var (tokenPurpose, expiresUnix, subject) = Parse(payload);
        return tokenPurpose == purpose && clock.GetUtcNow().ToUnixTimeSeconds() < expiresUnix ? subject : null;
    }

    private byte[] Sign(byte[] payload) => HMACSHA256.HashData(key, payload);

    // Length-prefixed fields, so no separator character inside a subject can shift one field into another.
    private static byte[] Payload(string purpose, long expiresUnix, string subject)
    {
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var subjectBytes = Encoding.UTF8.GetBytes(subject);
        var payload = new byte[2 + purposeBytes.Length + 8 + subjectBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, checked((ushort)purposeBytes.Length));
        purposeBytes.CopyTo(payload, 2);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(2 + purposeBytes.Length), expiresUnix);
        subjectBytes.CopyTo(payload, 2 + purposeBytes.Length + 8);
        return payload;
    }

    private static (string Purpose, long ExpiresUnix, string Subject) Parse(byte[] payload)
    {
        // Only called on payloads with a valid signature, i.e. made by Payload().
        var purposeLength = BinaryPrimitives.ReadUInt16BigEndian(payload);
        var purpose = Encoding.UTF8.GetString(payload, 2, purposeLength);
        var expires = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(2 + purposeLength));
        var subject = Encoding.UTF8.GetString(payload, 2 + purposeLength + 8, payload.Length - 2 - purposeLength - 8);
        return (purpose, expires, subject);
    }
}

public static class LinksServiceCollectionExtensions
{
    /// <summary>Safe to call from every feature that makes links; registers once.</summary>
    public static IServiceCollection AddSignedLinks(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SignedLinks)))
        {
            return services;
        }

        services.AddOptions<LinksOptions>().BindConfiguration("Links");
        services.AddOptions<AppOptions>().BindConfiguration("App");
        services.AddSingleton<SignedLinks>();
        services.AddHostedService<SignedLinksStartupCheck>();
        return services;
    }

    // Constructing SignedLinks checks Links:SigningKey; done at startup, a missing key stops the app with that message
    // instead of failing the first turn that makes a link with a 500.
    private sealed class SignedLinksStartupCheck(SignedLinks links) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(links);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

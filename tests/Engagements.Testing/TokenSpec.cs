namespace Engagements.Testing;

/// <summary>
/// Every knob of a minted token. A null claim is left out of the token, so <c>spec with { Audience = null }</c> is
/// "no aud". Start from <see cref="ForChannel"/> (a valid Connector token) and break one thing.
/// </summary>
public sealed record TokenSpec
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    public string? Issuer { get; init; } = BotFrameworkIssuer;

    /// <summary>A string, a string array, or null for no <c>aud</c>.</summary>
    public object? Audience { get; init; }

    public string? ServiceUrl { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? Expires { get; init; }

    /// <summary>RS256, RS384, RS512, HS256 or none.</summary>
    public string Algorithm { get; init; } = "RS256";

    /// <summary>The key that signs; null means the provider's Teams-endorsed key.</summary>
    public TestSigningKey? SigningKey { get; init; }

    /// <summary>The header <c>kid</c>; null means the signing key's own kid, empty means no kid.</summary>
    public string? KeyId { get; init; }

    public IReadOnlyDictionary<string, object>? ExtraClaims { get; init; }

    /// <summary>What the Bot Connector sends: iss, aud = app id, serviceurl, nbf and exp around <paramref name="now"/>.</summary>
    public static TokenSpec ForChannel(string appId, string serviceUrl, DateTimeOffset now) => new()
    {
        Audience = appId,
        ServiceUrl = serviceUrl,
        NotBefore = now.AddMinutes(-5),
        Expires = now.AddHours(1),
    };
}

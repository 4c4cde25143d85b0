using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Engagements.Testing;

/// <summary>
/// A stand-in for login.botframework.com on 127.0.0.1: an OpenID metadata document and a JWKS whose keys carry
/// Bot Framework <c>endorsements</c>, plus a token minter that can produce every bad token worth trying.
/// </summary>
public sealed class LoopbackIdentityProvider : IAsyncDisposable
{
    public const string TeamsChannel = "msteams";
    public const string OtherChannel = "webchat";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TestSigningKey> _published = new(StringComparer.Ordinal);
    private int _jwksFetches;

    // RSA key generation dominates a test's run time; the standard keys are made once and shared by every provider.
    private static readonly TestSigningKey SharedTeamsKey = new("teams-key", [TeamsChannel]);
    private static readonly TestSigningKey SharedOtherChannelKey = new("webchat-key", [OtherChannel]);
    private static readonly TestSigningKey SharedUnendorsedKey = new("unendorsed-key");
    private static readonly TestSigningKey SharedUnpublishedKey = new("rollover-key", [TeamsChannel]);

    private LoopbackIdentityProvider(WebApplication app)
    {
        _app = app;
        TeamsKey = SharedTeamsKey;
        OtherChannelKey = SharedOtherChannelKey;
        UnendorsedKey = SharedUnendorsedKey;
        UnpublishedKey = SharedUnpublishedKey;
        Publish(TeamsKey);
        Publish(OtherChannelKey);
        Publish(UnendorsedKey);
    }

    /// <summary>Published, endorsed for msteams: signs valid Connector tokens.</summary>
    public TestSigningKey TeamsKey { get; }

    /// <summary>Published, endorsed only for webchat.</summary>
    public TestSigningKey OtherChannelKey { get; }

    /// <summary>Published with no endorsements entry at all.</summary>
    public TestSigningKey UnendorsedKey { get; }

    /// <summary>Endorsed for msteams but not in the JWKS until <see cref="Publish"/>: the next key of a rollover.</summary>
    public TestSigningKey UnpublishedKey { get; }

    public string Issuer => TokenSpec.BotFrameworkIssuer;

    public string MetadataUrl { get; private set; } = "";

    public int JwksFetchCount => Volatile.Read(ref _jwksFetches);

    public static async Task<LoopbackIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new LoopbackIdentityProvider(app);
        app.MapGet("/v1/.well-known/openidconfiguration", provider.Metadata);
        app.MapGet("/v1/.well-known/keys", provider.Keys);
        await app.StartAsync();
        provider.MetadataUrl = $"{app.Urls.First()}/v1/.well-known/openidconfiguration";
        return provider;
    }

    public void Publish(TestSigningKey key) => _published[key.Kid] = key;

    public void Unpublish(TestSigningKey key) => _published.TryRemove(key.Kid, out _);

    /// <summary>A fresh key no JWKS has ever listed (dispose it yourself).</summary>
    public static TestSigningKey CreateKey(string kid, params string[] endorsements) => new(kid, endorsements);

    public string MintToken(TokenSpec spec)
    {
        var key = spec.SigningKey ?? TeamsKey;
        var header = new Dictionary<string, object> { ["alg"] = spec.Algorithm, ["typ"] = "JWT" };
        var kid = spec.KeyId ?? key.Kid;
        if (kid.Length > 0)
            header["kid"] = kid;

        var claims = new Dictionary<string, object>();
        if (spec.Issuer is not null) claims["iss"] = spec.Issuer;
        if (spec.Audience is not null) claims["aud"] = spec.Audience;
        if (spec.ServiceUrl is not null) claims["serviceurl"] = spec.ServiceUrl;
        if (spec.NotBefore is { } nbf) claims["nbf"] = nbf.ToUnixTimeSeconds();
        if (spec.Expires is { } exp) claims["exp"] = exp.ToUnixTimeSeconds();
        foreach (var (name, value) in spec.ExtraClaims ?? new Dictionary<string, object>())
            claims[name] = value;

        var signingInput = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = spec.Algorithm switch
        {
            "none" => [],
            "RS256" => key.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => key.Rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => key.Rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            // The classic confusion attack: HMAC keyed with the public key's bytes.
            "HS256" => HMACSHA256.HashData(key.Rsa.ExportSubjectPublicKeyInfo(), data),
            _ => throw new ArgumentException($"Unsupported alg {spec.Algorithm}", nameof(spec)),
        };
        return $"{signingInput}.{Encode(signature)}";
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Metadata(HttpContext context)
    {
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = "https://invalid.botframework.com",
            ["jwks_uri"] = $"{origin}/v1/.well-known/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        });
    }

    private IResult Keys()
    {
        Interlocked.Increment(ref _jwksFetches);
        var keys = _published.Values.OrderBy(k => k.Kid, StringComparer.Ordinal).Select(key =>
        {
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            var jwk = new Dictionary<string, object>
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = key.Kid,
                ["n"] = Encode(parameters.Modulus!),
                ["e"] = Encode(parameters.Exponent!),
            };
            if (key.Endorsements is not null)
                jwk["endorsements"] = key.Endorsements;
            return jwk;
        });
        return Results.Json(new { keys });
    }

    private static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}

using Engagements.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Engagements.BotFramework.Authentication;

/// <summary>The outcome of validating an inbound Bot Connector token. <see cref="FailureReason"/> is safe to log; it never contains the token.</summary>
public sealed record BotTokenValidationResult(bool Succeeded, string? FailureReason)
{
    public static BotTokenValidationResult Success { get; } = new(true, null);

    public static BotTokenValidationResult Fail(string reason) => new(false, reason);
}

/// <summary>Validates <c>Authorization: Bearer &lt;jwt&gt;</c> from the Bot Connector against the activity it came with (notes §1.2).</summary>
public sealed partial class BotTokenValidator(
    BotSigningKeys signingKeys,
    IOptions<BotFrameworkOptions> options,
    TimeProvider timeProvider,
    ILogger<BotTokenValidator> logger)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<BotTokenValidationResult> ValidateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        var result = await ValidateCoreAsync(authorizationHeader, activity, cancellationToken);
        if (!result.Succeeded)
            LogRefused(result.FailureReason!, activity.ChannelId, activity.Id);
        return result;
    }

    private async Task<BotTokenValidationResult> ValidateCoreAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(authorizationHeader))
            return BotTokenValidationResult.Fail("missing Authorization header");

        // The SDK's extractor compares the scheme case-sensitively; so do we.
        var parts = authorizationHeader.Split(' ');
        if (parts.Length != 2 || parts[0] != "Bearer" || parts[1].Length == 0)
            return BotTokenValidationResult.Fail("Authorization header is not 'Bearer <token>'");

        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.AppId))
            return BotTokenValidationResult.Fail("no app id is configured, so no token can be addressed to this bot");

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(parts[1]);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return BotTokenValidationResult.Fail("malformed token");
        }

        if (!AllowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
            return BotTokenValidationResult.Fail($"disallowed alg '{token.Alg}'");

        if (!string.Equals(token.Issuer, settings.TokenIssuer, StringComparison.Ordinal))
            return BotTokenValidationResult.Fail($"wrong issuer '{token.Issuer}'");

        // Strict reading of "aud must equal the app id": exactly one audience. A Connector token names only the bot,
        // so an array that also names someone else is not a Connector token for us, even if our id is in it.
        var audiences = token.Audiences.ToList();
        if (audiences.Count != 1 || !string.Equals(audiences[0], settings.AppId, StringComparison.Ordinal))
            return BotTokenValidationResult.Fail("aud is not exactly the app id");

        var lifetimeFailure = CheckLifetime(token);
        if (lifetimeFailure is not null)
            return BotTokenValidationResult.Fail(lifetimeFailure);

        if (string.IsNullOrEmpty(token.Kid))
            return BotTokenValidationResult.Fail("token has no kid");

        BotSigningKey? signingKey;
        try
        {
            signingKey = await signingKeys.FindAsync(token.Kid, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogKeysUnavailable(ex);
            return BotTokenValidationResult.Fail("signing keys unavailable");
        }

        if (signingKey is null)
            return BotTokenValidationResult.Fail($"unknown kid '{token.Kid}' after refreshing the signing keys");

        var signature = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            // Issuer, audience and lifetime were checked above: ordinally, and against the injected clock.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = signingKey.Key,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = AllowedAlgorithms,
        });
        if (!signature.IsValid)
            return BotTokenValidationResult.Fail($"signature not valid ({signature.Exception?.GetType().Name})");

        // Without this the bot could be told to send its own outbound token to any URL (notes §1.2). The SDK skips the
        // check when the activity has no serviceUrl; we refuse instead. No normalisation: a trailing slash is a mismatch,
        // as in the SDK's whole-string comparison.
        if (!token.TryGetPayloadValue<string>("serviceurl", out var claimedServiceUrl) || string.IsNullOrWhiteSpace(claimedServiceUrl))
            return BotTokenValidationResult.Fail("missing serviceurl claim");
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl))
            return BotTokenValidationResult.Fail("activity has no serviceUrl");
        if (!string.Equals(claimedServiceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
            return BotTokenValidationResult.Fail("serviceurl claim does not match the activity's serviceUrl");

        // Unlike the SDK, an unendorsed key or an empty channelId never passes: no Emulator or skill path exists here.
        if (signingKey.Endorsements.Count == 0)
            return BotTokenValidationResult.Fail($"signing key '{token.Kid}' has no endorsements");
        if (string.IsNullOrEmpty(activity.ChannelId) || !signingKey.Endorsements.Contains(activity.ChannelId, StringComparer.Ordinal))
            return BotTokenValidationResult.Fail($"signing key '{token.Kid}' is not endorsed for channel '{activity.ChannelId}'");

        return BotTokenValidationResult.Success;
    }

    private string? CheckLifetime(JsonWebToken token)
    {
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp))
            return "token has no exp";

        var now = timeProvider.GetUtcNow();
        if (now > DateTimeOffset.FromUnixTimeSeconds(exp) + ClockSkew)
            return "token has expired";

        if (token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf) && now + ClockSkew < DateTimeOffset.FromUnixTimeSeconds(nbf))
            return "token is not valid yet";

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused inbound activity {ActivityId} on channel {ChannelId}: {Reason}")]
    private partial void LogRefused(string reason, string? channelId, string? activityId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot Framework signing keys are unavailable")]
    private partial void LogKeysUnavailable(Exception exception);
}

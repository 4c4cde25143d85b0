using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Engagements.BotFramework.Authentication;

/// <summary>A Bot Framework signing key and the channels it is endorsed for (notes §1.2).</summary>
public sealed record BotSigningKey(SecurityKey Key, IReadOnlyList<string> Endorsements);

/// <summary>
/// The Bot Framework OpenID metadata and JWKS, cached and refreshed when an unknown <c>kid</c> shows up.
/// </summary>
/// <remarks>
/// Not Microsoft.IdentityModel's ConfigurationManager: since 8.x its RequestRefresh() refreshes on a background
/// thread, so "refresh, then retry once" would retry against the stale key set. The documents are still fetched
/// with IdentityModel's HttpDocumentRetriever (HTTPS enforced) and the keys parsed by JsonWebKeySet; the raw JWKS
/// is read once more here only for the non-standard <c>endorsements</c> array that JsonWebKeySet drops.
/// </remarks>
public sealed partial class BotSigningKeys(
    IHttpClientFactory httpClientFactory,
    IOptions<BotFrameworkOptions> options,
    TimeProvider timeProvider,
    ILogger<BotSigningKeys> logger)
{
    internal const string HttpClientName = "Engagements.BotFramework.Metadata";

    // IdentityModel's defaults: 12 h automatic refresh, forced refresh at most every 5 minutes.
    private static readonly TimeSpan AutomaticRefreshInterval = TimeSpan.FromHours(12);
    private static readonly TimeSpan MinimumForcedRefreshInterval = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private IReadOnlyDictionary<string, BotSigningKey>? _keys;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastForcedRefresh;

    /// <summary>The key with this <c>kid</c>; an unknown kid forces one refresh (rate-limited) before giving up.</summary>
    public async Task<BotSigningKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(cancellationToken);
        if (keys.TryGetValue(kid, out var key))
            return key;

        keys = await RefreshForUnknownKidAsync(keys, cancellationToken);
        return keys.GetValueOrDefault(kid);
    }

    private async Task<IReadOnlyDictionary<string, BotSigningKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && timeProvider.GetUtcNow() < _fetchedAt + AutomaticRefreshInterval)
            return keys;

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (_keys is null || timeProvider.GetUtcNow() >= _fetchedAt + AutomaticRefreshInterval)
            {
                try
                {
                    await FetchAsync(cancellationToken);
                }
                catch (Exception ex) when (_keys is not null && ex is not OperationCanceledException)
                {
                    // Stale keys beat no keys; try again on the next forced or automatic refresh.
                    LogRefreshFailed(ex);
                    _fetchedAt = timeProvider.GetUtcNow() - AutomaticRefreshInterval + MinimumForcedRefreshInterval;
                }
            }

            return _keys!;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, BotSigningKey>> RefreshForUnknownKidAsync(
        IReadOnlyDictionary<string, BotSigningKey> seen, CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            // Someone else refreshed while we waited: use theirs rather than fetching again.
            if (!ReferenceEquals(_keys, seen))
                return _keys!;

            // The first forced refresh is always allowed, as in IdentityModel, so a rollover right after startup works.
            var now = timeProvider.GetUtcNow();
            if (_lastForcedRefresh is { } last && now < last + MinimumForcedRefreshInterval)
                return seen;

            _lastForcedRefresh = now;
            try
            {
                await FetchAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(ex);
            }

            return _keys!;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var retriever = new HttpDocumentRetriever(httpClientFactory.CreateClient(HttpClientName))
        {
            RequireHttps = settings.RequireHttpsMetadata,
        };

        var metadata = await retriever.GetDocumentAsync(settings.OpenIdMetadataUrl, cancellationToken);
        string? jwksUri;
        using (var metadataJson = JsonDocument.Parse(metadata))
        {
            jwksUri = metadataJson.RootElement.TryGetProperty("jwks_uri", out var uri) && uri.ValueKind == JsonValueKind.String
                ? uri.GetString()
                : null;
        }

        if (string.IsNullOrEmpty(jwksUri))
            throw new InvalidOperationException($"OpenID metadata at {settings.OpenIdMetadataUrl} has no jwks_uri.");

        var jwks = await retriever.GetDocumentAsync(jwksUri, cancellationToken);
        var endorsements = ReadEndorsements(jwks);
        var keys = new Dictionary<string, BotSigningKey>(StringComparer.Ordinal);
        foreach (var key in new JsonWebKeySet(jwks).Keys)
        {
            if (!string.IsNullOrEmpty(key.Kid))
                keys[key.Kid] = new BotSigningKey(key, endorsements.GetValueOrDefault(key.Kid) ?? []);
        }

        _keys = keys;
        _fetchedAt = timeProvider.GetUtcNow();
        LogKeysFetched(keys.Count, jwksUri);
    }

    private static Dictionary<string, string[]> ReadEndorsements(string jwks)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(jwks);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            return result;

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.Object
                || !key.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || !key.TryGetProperty("endorsements", out var list) || list.ValueKind != JsonValueKind.Array)
                continue;

            result[kid.GetString()!] = [.. list.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String)
                .Select(e => e.GetString()!)];
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {KeyCount} Bot Framework signing keys from {JwksUri}")]
    private partial void LogKeysFetched(int keyCount, string jwksUri);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not refresh the Bot Framework signing keys")]
    private partial void LogRefreshFailed(Exception exception);
}

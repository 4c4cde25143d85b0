namespace Engagements.BotFramework.Connector;

/// <summary>
/// Outbound settings (token, allow-list, retries, pacing), bound from the same "Bot" section as the inbound
/// options. Kept in its own class so inbound and outbound auth can evolve independently.
/// </summary>
public sealed class ConnectorOptions
{
    public const string SectionName = "Bot";
    public const string SingleTenant = "SingleTenant";
    public const string MultiTenant = "MultiTenant";

    /// <summary>Teams' Connector hosts (public, GCC, GCC-High, DoD); see notes §3.1.</summary>
    public static IReadOnlyList<string> DefaultAllowedServiceUrlHosts { get; } =
    [
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary>Empty means anonymous (development) mode: no outbound token at all (notes §1.5).</summary>
    public string? AppId { get; set; }
    public string? AppPassword { get; set; }
    public string? TenantId { get; set; }

    /// <summary>"SingleTenant" (default; new multi-tenant registrations are deprecated) or "MultiTenant".</summary>
    public string AppType { get; set; } = SingleTenant;

    /// <summary>Optional override; otherwise login.microsoftonline.com/{TenantId} or .../botframework.com.</summary>
    public string? OAuthAuthority { get; set; }
    public string OAuthScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>
    /// Hosts that may receive the bot token. Null or empty means <see cref="DefaultAllowedServiceUrlHosts"/>;
    /// a configured list replaces the defaults (the configuration binder would otherwise append to them).
    /// A leading "*." matches any subdomain.
    /// </summary>
    public IList<string>? AllowedServiceUrlHosts { get; set; }

    /// <summary>Retries after the first attempt for 429, 412, 502, 503, 504 and transport failures.</summary>
    public int MaxRetries { get; set; } = 4;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is not waited out in-process; the call returns Throttled with the delay.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Per attempt. Azure Bot Service itself gives up at about 15 s (notes §6.2).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool RateLimitingEnabled { get; set; } = true;

    /// <summary>
    /// Added to every pacing window. The limiter already counts each send until its response arrives (the latest
    /// moment Teams can have counted it), so this only covers Teams measuring its windows a little differently from us.
    /// </summary>
    public TimeSpan RateLimitSafetyMargin { get; set; } = TimeSpan.FromMilliseconds(20);
    public int TenantRequestsPerSecond { get; set; } = 50;

    /// <summary>Teams' 1800/hour per-thread limit applies only to many messages to one user; off by default.</summary>
    public bool EnforceHourlyLimit { get; set; }

    public bool IsAnonymous => string.IsNullOrEmpty(AppId);

    public IReadOnlyList<string> EffectiveAllowedServiceUrlHosts =>
        AllowedServiceUrlHosts is { Count: > 0 } configured ? [.. configured] : DefaultAllowedServiceUrlHosts;

    public string ResolveAuthority()
    {
        if (!string.IsNullOrWhiteSpace(OAuthAuthority))
        {
            return OAuthAuthority;
        }

        var tenant = string.Equals(AppType, MultiTenant, StringComparison.OrdinalIgnoreCase) ? "botframework.com" : TenantId;
        return $"https://login.microsoftonline.com/{tenant}";
    }

    /// <summary>Returns the problems that would make outbound calls fail later, so startup can fail instead.</summary>
    public IEnumerable<string> Validate()
    {
        if (!string.Equals(AppType, SingleTenant, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(AppType, MultiTenant, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Bot:AppType must be {SingleTenant} or {MultiTenant}.";
        }

        if (IsAnonymous)
        {
            yield break;
        }

        if (string.IsNullOrEmpty(AppPassword))
        {
            yield return "Bot:AppPassword is required when Bot:AppId is set.";
        }

        if (string.Equals(AppType, SingleTenant, StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrWhiteSpace(TenantId) && string.IsNullOrWhiteSpace(OAuthAuthority))
        {
            // A single-tenant bot asking botframework.com for tokens gets "Authorization has been denied" (notes §2).
            yield return "Bot:TenantId is required for a SingleTenant bot.";
        }

        if (MaxRetries < 0)
        {
            yield return "Bot:MaxRetries must not be negative.";
        }
    }
}

namespace Engagements.BotFramework.Authentication;

/// <summary>The bot's registration and inbound policy, bound from the <c>Bot</c> configuration section.</summary>
public sealed class BotFrameworkOptions
{
    public const string SectionName = "Bot";

    /// <summary>The Microsoft App ID. Empty means anonymous development mode (notes §1.5), which the host allows only on loopback in Development.</summary>
    public string? AppId { get; set; }

    public string? AppPassword { get; set; }

    public string? TenantId { get; set; }

    /// <summary><c>SingleTenant</c> (default) or <c>MultiTenant</c>; changes outbound auth only (notes §1.7).</summary>
    public string AppType { get; set; } = "SingleTenant";

    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The only issuer accepted on inbound tokens, compared ordinally.</summary>
    public string TokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Overrides the authority used for outbound tokens.</summary>
    public string? OAuthAuthority { get; set; }

    /// <summary>Hosts the bot may send its outbound token to; defaults are the connector's business.</summary>
    public string[] AllowedServiceUrlHosts { get; set; } = [];

    /// <summary>When non-empty, activities from other tenants are acknowledged with 200 and never reach the bot.</summary>
    public string[] AllowedTenants { get; set; } = [];

    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Tests turn this off to serve metadata from a loopback HTTP server.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

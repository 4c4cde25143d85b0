namespace Engagements.BotFramework.Authentication;

/// <summary>The inbound policy, bound from the <c>Bot</c> configuration section; outbound settings of the same section are in <see cref="Connector.ConnectorOptions"/>.</summary>
public sealed class BotFrameworkOptions
{
    public const string SectionName = "Bot";

    /// <summary>The Microsoft App ID. Empty means anonymous development mode (notes §1.5), which the host allows only on loopback in Development.</summary>
    public string? AppId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The only issuer accepted on inbound tokens, compared ordinally.</summary>
    public string TokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>When non-empty, activities from other tenants are acknowledged with 200 and never reach the bot.</summary>
    public string[] AllowedTenants { get; set; } = [];

    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Tests turn this off to serve metadata from a loopback HTTP server.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

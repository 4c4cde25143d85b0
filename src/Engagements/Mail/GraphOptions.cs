namespace Engagements.Mail;

/// <summary>
/// Section "Graph": an app registration with the Mail.Send application permission, and the mailbox it sends as.
/// All four of TenantId, ClientId, ClientSecret and SenderMailbox, or none (emails are then recorded, not sent).
/// </summary>
public sealed class GraphOptions
{
    public const string Scope = "https://graph.microsoft.com/.default";

    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? SenderMailbox { get; set; }

    // Defaults to the global cloud; sovereign clouds or a test double set their own.
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";
    public string Instance { get; set; } = "https://login.microsoftonline.com";

    public bool IsConfigured => Missing().Count == 0;

    public bool IsPartlyConfigured => Missing().Count is > 0 and < 4;

    public IReadOnlyList<string> Missing() =>
    [
        .. new (string Key, string? Value)[]
        {
            ("Graph:TenantId", TenantId), ("Graph:ClientId", ClientId), ("Graph:ClientSecret", ClientSecret), ("Graph:SenderMailbox", SenderMailbox),
        }.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key),
    ];
}

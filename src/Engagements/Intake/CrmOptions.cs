namespace Engagements.Intake;

/// <summary>Section "Crm": the shared secret the CRM signs webhook bodies with, and the body cap.</summary>
public sealed class CrmOptions
{
    public string? WebhookSecret { get; set; }
    public int MaxBodyBytes { get; set; } = 256 * 1024;
}

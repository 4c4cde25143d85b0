namespace Engagements.Mail;

/// <summary>Customer-facing and internal email. Delivered by the outbox sender through Microsoft Graph, or recorded when Graph is not configured.</summary>
public interface IMailSender
{
    /// <summary>False when nothing is configured to send mail: the outbox then records the email instead (visible, not sent).</summary>
    bool CanSend { get; }

    Task SendAsync(EmailMessage email, CancellationToken cancellationToken);
}

/// <param name="HtmlBody">HTML body; every value inserted into it must be HTML-encoded by the caller's template.</param>
public sealed record EmailMessage(
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string HtmlBody,
    string? Template = null);

/// <summary>Used when Graph is not configured: sends nothing, so the outbox marks emails Recorded.</summary>
public sealed class UnconfiguredMailSender : IMailSender
{
    public bool CanSend => false;

    public Task SendAsync(EmailMessage email, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Microsoft Graph is not configured (Graph:*); emails are recorded, not sent.");
}

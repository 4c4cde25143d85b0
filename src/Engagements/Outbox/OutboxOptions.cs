namespace Engagements.Outbox;

// Section "Outbox". Every instance of a cluster should use the same values.
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    // False in tests that drive delivery by hand through OutboxSender.DeliverDueAsync.
    public bool BackgroundDelivery { get; set; } = true;

    // How long the background loop sleeps when it found nothing to do; it goes again at once when it found work.
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    // A claimed message belongs to its instance this long, renewed while delivery runs. When an instance dies, its
    // messages wait this long before another instance takes them over (and flags them as possibly delivered).
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    // Attempts before a message is Failed for good (visible to admins; see OutboxQueries.NeedingAttention).
    public int MaxAttempts { get; set; } = 8;

    // Conversations one instance delivers to at the same time; within a conversation delivery is strictly sequential.
    public int MaxConcurrentConversations { get; set; } = 16;

    // Messages of one conversation delivered in a row before the conversation is handed back to the queue, so a
    // long backlog in one conversation cannot keep a worker from the others forever.
    public int MessagesPerClaim { get; set; } = 50;

    // Teams' limits are per conversation, but each instance paces only what it sends itself. A conversation another
    // instance posted to within this window stays with that instance; 31 s covers Teams' longest window (60 per 30 s).
    public TimeSpan HandoffDelay { get; set; } = TimeSpan.FromSeconds(31);

    // Backoff for retryable failures (5xx after the connector's own retries, timeouts): base * 2^attempt, capped, ±20 %.
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    // An update whose original post is still pending is looked at again after this long.
    public TimeSpan WaitForOriginalPost { get; set; } = TimeSpan.FromSeconds(2);

    // Looking a possibly-landed post up in Teams before sending it again (see ReadBackOptions).
    public ReadBackOptions ReadBack { get; set; } = new();

    // Identifies this process in LeaseOwner; unique per process unless set (set it only for diagnostics).
    public string? InstanceId { get; set; }
}

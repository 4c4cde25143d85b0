namespace Engagements.Outbox;

public static class OutboxQueries
{
    // What an admin must look at: given up (Failed), refused by Teams (Blocked: the user blocked or removed the bot,
    // RecipientGone: the conversation is gone), and messages that may have been posted twice (ambiguous).
    public static IQueryable<OutboxMessage> NeedingAttention(this IQueryable<OutboxMessage> messages) =>
        messages.Where(m => m.State == OutboxState.Failed || m.State == OutboxState.Blocked || m.State == OutboxState.RecipientGone
            || (m.LastError != null && m.LastError.StartsWith(OutboxMessage.AmbiguousNote)));

    // How feature code finds the activity id of a card it posted: by the idempotency key it gave the post.
    public static IQueryable<OutboxMessage> PostedWith(this IQueryable<OutboxMessage> messages, string idempotencyKey) =>
        messages.Where(m => m.IdempotencyKey == idempotencyKey && m.State == OutboxState.Sent);

    // The delivered posts about one entity (RelatedEntityType/Id given to the writer), newest first.
    public static IQueryable<OutboxMessage> PostedAbout(this IQueryable<OutboxMessage> messages, Related related) =>
        messages.Where(m => m.RelatedEntityType == related.EntityType && m.RelatedEntityId == related.EntityId && m.State == OutboxState.Sent)
            .OrderByDescending(m => m.Sequence);

}

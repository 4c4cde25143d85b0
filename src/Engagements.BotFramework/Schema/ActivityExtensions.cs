namespace Engagements.BotFramework.Schema;

public static class ActivityExtensions
{
    /// <summary>
    /// The activity's text without the bot's own @mention, trimmed (notes §4.4). Mentions are found in
    /// <c>entities</c> by <c>mentioned.id == recipient.id</c>, never by parsing the text, which the sender controls.
    /// </summary>
    public static string? RemoveRecipientMention(this Activity activity)
    {
        var text = activity.Text;
        if (text is null)
            return null;

        var botId = activity.Recipient?.Id;
        if (!string.IsNullOrEmpty(botId))
        {
            foreach (var mention in activity.GetMentions().Where(m => m.Mentioned?.Id == botId))
            {
                var mentionText = mention.Text ?? $"<at>{mention.Mentioned!.Name}</at>";
                if (mentionText.Length > 0)
                    text = text.Replace(mentionText, string.Empty, StringComparison.OrdinalIgnoreCase);
            }
        }

        return text.Trim();
    }
}

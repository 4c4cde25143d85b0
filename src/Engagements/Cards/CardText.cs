using System.Text;

namespace Engagements.Cards;

// TextBlocks render a Markdown subset in Teams. Bold, italics and lists typed by a user are harmless, but a
// link lets a customer name or a blocker reason show "Verify your account" while pointing anywhere. So the
// binder neutralises link syntax in data: a zero-width space after every "]" that is followed by "(", "["
// or ":" breaks inline links, images, reference links and link definitions, yet the text reads the same.
// Backslash escapes are not used because Teams clients disagree on them (AdaptiveCards#4677, msteams-docs#5793).
public static class CardText
{
    const char ZeroWidthSpace = '\u200B';

    public static string NeutraliseLinks(string text)
    {
        if (!text.Contains(']', StringComparison.Ordinal)) return text;
        var sb = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            sb.Append(text[i]);
            if (text[i] == ']' && i + 1 < text.Length && text[i + 1] is '(' or '[' or ':') sb.Append(ZeroWidthSpace);
        }
        return sb.ToString();
    }
}

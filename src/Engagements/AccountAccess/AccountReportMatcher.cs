using Engagements.Bot;

namespace Engagements.AccountAccess;

/// <summary>
/// Which of an engineer's open requests a report like "Contoso VPN account works" means. Every word of the subject
/// must name the request's customer (a word of its name, by prefix or within one typo) or its system; no subject = all.
/// </summary>
public static class AccountReportMatcher
{
    private static readonly HashSet<string> Filler = new(StringComparer.OrdinalIgnoreCase) { "my", "the", "our", "new", "for", "at", "on", "in", "of", "user", "login" };

    public static IReadOnlyList<AccountRequest> Match(IEnumerable<AccountRequest> openRequests, string? subject)
    {
        var words = Words(subject);
        return [.. openRequests.Where(r => words.All(w => Names(r, w)))];
    }

    private static string[] Words(string? subject) =>
        subject is null ? [] : [.. subject
            .Split([' ', ',', '/', '-'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => w.EndsWith("'s", StringComparison.OrdinalIgnoreCase) || w.EndsWith("’s", StringComparison.OrdinalIgnoreCase) ? w[..^2] : w)
            .Where(w => w.Length > 0 && !Filler.Contains(w))];

    private static bool Names(AccountRequest request, string word) =>
        Like(word, request.System) || Like(word, request.Customer.Name)
        || request.Customer.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(part => Like(word, part))
        || request.System.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(part => Like(word, part));

    private static bool Like(string word, string name)
    {
        var w = word.ToLowerInvariant();
        var n = name.ToLowerInvariant();
        return n == w
            || (w.Length >= 3 && n.StartsWith(w, StringComparison.Ordinal))
            || (w.Length >= 4 && EditDistance.WithinOne(w, n));
    }
}

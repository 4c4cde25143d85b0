namespace Engagements.AccountAccess;

/// <summary>Counting days the way customers create accounts: Monday to Friday, minus configured holidays.</summary>
public sealed class BusinessDays(IReadOnlyCollection<DateOnly> holidays)
{
    public bool IsBusinessDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day);

    /// <summary>The day <paramref name="days"/> business days after <paramref name="from"/> (from itself does not count).</summary>
    public DateOnly Add(DateOnly from, int days)
    {
        var day = from;
        for (var added = 0; added < days;)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day))
            {
                added++;
            }
        }

        return day;
    }

    /// <summary>Business days d with from &lt; d ≤ to: how far past a deadline today is.</summary>
    public int Between(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsBusinessDay(day))
            {
                count++;
            }
        }

        return count;
    }
}

using System.Globalization;

namespace Engagements.Benchmarks;

/// <summary>Resident set size from /proc (Linux): current, peak (VmHWM), and resetting the peak between phases.</summary>
public static class ProcessMemory
{
    public static long? PeakRssBytes(int pid) => Read(pid, "VmHWM:");

    public static long? RssBytes(int pid) => Read(pid, "VmRSS:");

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+), so each phase reports its own peak.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string Megabytes(long? bytes) =>
        bytes is { } b ? (b / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MB" : "unknown";

    private static long? Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or the process has gone.
        }

        return null;
    }
}

using System.Globalization;
using System.Text;

namespace Engagements.Benchmarks;

public enum Verdict
{
    Pass,
    Fail,
    Info,
    NotAvailable,
}

/// <summary>One line of the final table: a figure, what it is compared with, and whether it meets its target.</summary>
public sealed record ResultRow(string Benchmark, string Metric, string Value, string Target, Verdict Verdict, string Note = "");

public sealed class ResultTable
{
    private readonly List<ResultRow> _rows = [];

    public IReadOnlyList<ResultRow> Rows => _rows;

    public void Add(ResultRow row)
    {
        _rows.Add(row);
        Console.WriteLine($"  -> {row.Benchmark} | {row.Metric}: {row.Value} (target {row.Target}) {Show(row.Verdict)} {row.Note}");
    }

    public void Info(string benchmark, string metric, string value, string note = "") => Add(new(benchmark, metric, value, "-", Verdict.Info, note));

    public void NotAvailable(string benchmark, string metric, string why) => Add(new(benchmark, metric, "-", "-", Verdict.NotAvailable, why));

    /// <summary>Higher is better when <paramref name="atLeast"/>, else lower is better.</summary>
    public void Check(string benchmark, string metric, double value, string format, double target, bool atLeast, string unit = "", string note = "")
    {
        var ok = atLeast ? value >= target : value <= target;
        Add(new(
            benchmark,
            metric,
            value.ToString(format, CultureInfo.InvariantCulture) + unit,
            (atLeast ? ">= " : "<= ") + target.ToString(format, CultureInfo.InvariantCulture) + unit,
            ok ? Verdict.Pass : Verdict.Fail,
            note));
    }

    public static string Show(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        Verdict.NotAvailable => "n/a",
        _ => "info",
    };

    public string ToText()
    {
        string[] headers = ["Benchmark", "Metric", "Value", "Target", "Result", "Note"];
        var cells = _rows.Select(r => new[] { r.Benchmark, r.Metric, r.Value, r.Target, Show(r.Verdict), r.Note }).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] values) => text.AppendLine(string.Join(" | ", values.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        Line(headers);
        text.AppendLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        cells.ForEach(Line);
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| Benchmark | Metric | Value | Target | Result | Note |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(r.Benchmark)} | {Escape(r.Metric)} | {Escape(r.Value)} | {Escape(r.Target)} | {Show(r.Verdict)} | {Escape(r.Note)} |");
        }

        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}

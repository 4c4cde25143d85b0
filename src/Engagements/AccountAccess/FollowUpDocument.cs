using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Engagements.Cards;
using Engagements.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagements.AccountAccess;

/// <summary>One line of seed 002's Follow-Up Document.</summary>
public sealed record FollowUpRow(
    Guid RequestId, Guid CustomerId, string Engineer, string Customer, string System, DateOnly? RequestDate, DateOnly? ExpectedBy,
    AccountRequestStatus Status, DateTimeOffset? LastFollowUpAt, string? LastFollowUp, string? Notes, bool Overdue);

/// <summary>The follow-up document, read from the account requests: as rows for the card, and as the seed's Excel file.</summary>
public sealed class FollowUpDocument(EngagementsDb db, TimeProvider clock)
{
    public static readonly string[] Headers = ["Engineer", "Customer", "System", "Request date", "Expected by", "Status", "Last follow-up", "Notes"];

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <param name="customerIds">Only these customers; null for all.</param>
    public async Task<IReadOnlyList<FollowUpRow>> RowsAsync(IReadOnlyCollection<Guid>? customerIds, bool overdueOnly, CancellationToken cancellationToken)
    {
        var today = Today;
        var open = AccountRequest.OpenStatuses;
        var query = db.AccountRequests.AsNoTracking();
        if (customerIds is not null)
        {
            query = query.Where(r => customerIds.Contains(r.CustomerId));
        }

        if (overdueOnly)
        {
            query = query.Where(r => open.Contains(r.Status) && r.ExpectedBy != null && r.ExpectedBy < today);
        }

        var rows = await query
            .Select(r => new
            {
                r.Id, r.CustomerId, Engineer = r.Engineer.Name, Customer = r.Customer.Name, r.System, r.RequestDate, r.ExpectedBy, r.Status, r.FailureReason,
                Last = r.FollowUps.OrderByDescending(f => f.At).Select(f => new { f.At, f.Kind, f.Note }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return [.. rows
            .Select(r =>
            {
                var isOpen = open.Contains(r.Status);
                return new FollowUpRow(r.Id, r.CustomerId, r.Engineer, r.Customer, r.System, r.RequestDate, r.ExpectedBy, r.Status,
                    r.Last?.At, r.Last is null ? null : FollowUpText(r.Last.Kind), r.FailureReason ?? r.Last?.Note,
                    isOpen && r.ExpectedBy is { } by && by < today);
            })
            // Open before closed, the most overdue first: what a team lead reviews (seed 002 "Monitoring & Follow-Up").
            .OrderBy(r => open.Contains(r.Status) ? 0 : 1)
            .ThenBy(r => r.ExpectedBy ?? DateOnly.MaxValue)
            .ThenBy(r => r.Customer, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Engineer, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.System, StringComparer.OrdinalIgnoreCase)];
    }

    public static string FollowUpText(FollowUpKind kind) => kind switch
    {
        FollowUpKind.Sent => "request email sent",
        FollowUpKind.TicketPrepared => "ticket text sent to team lead",
        FollowUpKind.TicketFiled => "ticket filed",
        FollowUpKind.Reminder => "reminder",
        FollowUpKind.Verified => "verified by engineer",
        FollowUpKind.Failing => "reported not working",
        FollowUpKind.EscalatedToTeamLead => "escalated to team lead",
        FollowUpKind.EscalatedToCsm => "escalated to CSM",
        FollowUpKind.CustomerFollowUpSent => "follow-up email to customer",
        FollowUpKind.Note => "note",
        _ => "closed",
    };

    /// <summary>The rows as an .xlsx workbook (one sheet, a header row, one row per request), written to the stream.</summary>
    public static void WriteXlsx(IReadOnlyList<FollowUpRow> rows, Stream output)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        data.Append(Row(1, Headers));
        var index = 2u;
        foreach (var row in rows)
        {
            data.Append(Row(index++,
            [
                row.Engineer, row.Customer, row.System, Iso(row.RequestDate), Iso(row.ExpectedBy), DisplayText.Of(row.Status),
                row.LastFollowUpAt is { } at ? $"{at.UtcDateTime:yyyy-MM-dd} {row.LastFollowUp}" : "", row.Notes ?? "",
            ]));
        }

        sheetPart.Worksheet = new Worksheet(
            new Columns([.. Headers.Select((_, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = i == 7 ? 60 : 20, CustomWidth = true })]),
            data);
        var sheets = workbook.Workbook.AppendChild(new Sheets());
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Follow-up" });
        workbook.Workbook.Save();
    }

    private static string Iso(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    // Inline strings: no shared-string table to keep in step, and every reader (Excel, LibreOffice, OpenXml) accepts them.
    private static Row Row(uint index, IReadOnlyList<string> values) =>
        new([.. values.Select((value, column) => new Cell
        {
            CellReference = $"{(char)('A' + column)}{index}",
            DataType = CellValues.InlineString,
            InlineString = new InlineString(new Text(Sanitize(value))),
        })])
        { RowIndex = index };

    // XML 1.0 cannot carry most control characters; a stray one in a reason must not corrupt the workbook. A leading
    // "=", "+", "-" or "@" is harmless in an inline string (never evaluated as a formula), so it stays as typed.
    private static string Sanitize(string value) =>
        new([.. value.Where(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c is not '\uFFFE' and not '\uFFFF'))]);
}

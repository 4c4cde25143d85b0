using System.Globalization;
using System.Text.Json.Nodes;
using Engagements.Cards;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Intake;

namespace Engagements.Assignments;

/// <summary>What earlier rejections for the same engagement mean for a card: whom not to suggest first, and why it was re-opened.</summary>
public sealed record RejectionHistory(IReadOnlySet<Guid> RejectedEngineerIds, string? Reopened)
{
    public static RejectionHistory None { get; } = new(new HashSet<Guid>(), null);
}

/// <summary>Binds cards/assign-engineer.json: the pending card with its choice and buttons, or the decided card.</summary>
public static class AssignmentCard
{
    public static JsonObject Render(
        CardCatalog cards, AssignmentRequest request, Customer customer, Opportunity opportunity, Engagement engagement,
        IEnumerable<Project> projects, IReadOnlyList<EngineerSuggestion> engineers, RejectionHistory history, DateTimeOffset now) =>
        cards.Render("assign-engineer", new
        {
            assignmentRequestId = request.Id,
            reopened = history.Reopened,
            customer = new
            {
                name = customer.Name,
                segment = StoredText.Of(customer.Segment),
                supportLevel = customer.SupportLevel ?? "–",
                seats = customer.SeatsPurchased,
                csm = customer.CsmName ?? customer.CsmEmail ?? "–",
            },
            opportunity = new { kind = StoredText.Of(opportunity.Kind).ToLowerInvariant(), crmId = opportunity.CrmId },
            engagement = new { start = Format.Date(engagement.StartDate), end = Format.Date(engagement.EndDate) },
            projects = projects.Select(p => new { name = p.Name, kind = p.Kind, deliverables = p.Deliverables.Count }),
            engineers = engineers.Select(e => new
            {
                id = e.Id,
                name = e.Name,
                activeEngagements = e.ActiveEngagements,
                timeZone = Format.TimeZone(e.TimeZone, now),
                lastAssigned = e.LastAssignedAt is { } at ? Format.Date(DateOnly.FromDateTime(at.UtcDateTime)) : "never",
                note = history.RejectedEngineerIds.Contains(e.Id) ? "Rejected for this engagement earlier" : "",
            }),
            suggestedEngineerId = engineers.Count > 0 ? engineers[0].Id.ToString() : "",
            decided = Decided(request, engineers),
        });

    private static object? Decided(AssignmentRequest request, IReadOnlyList<EngineerSuggestion> engineers) => request.Status switch
    {
        AssignmentStatus.Approved => new
        {
            outcome = "approved",
            engineer = request.AssignedEngineer?.Name ?? engineers.FirstOrDefault(e => e.Id == request.AssignedEngineerId)?.Name ?? "an engineer",
            by = request.DecidedByName ?? "a manager",
            at = Format.Instant(request.DecidedAt),
        },
        AssignmentStatus.Rejected => new
        {
            outcome = "rejected",
            by = request.DecidedByName ?? "a manager",
            at = Format.Instant(request.DecidedAt),
            engineer = engineers.FirstOrDefault(e => e.Id == request.RejectedEngineerId)?.Name ?? "",
            reason = request.DecisionNote ?? "",
            next = "A new Assign engineer card follows.",
        },
        AssignmentStatus.Expired => new
        {
            outcome = "rejected", by = "Engagements", at = Format.Instant(request.DecidedAt), engineer = "", reason = "Expired.", next = "",
        },
        _ => null,
    };
}

/// <summary>How dates and instants read on cards and in messages: unambiguous in every locale, always UTC for instants.</summary>
public static class Format
{
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Instant(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " UTC" : "";

    /// <summary>"Europe/Berlin (UTC+1)": the IANA id with the offset in effect now.</summary>
    public static string TimeZone(string id, DateTimeOffset now)
    {
        try
        {
            var offset = TimeZoneInfo.FindSystemTimeZoneById(id).GetUtcOffset(now);
            var sign = offset < TimeSpan.Zero ? "−" : "+";
            var abs = offset.Duration();
            var text = abs.Minutes == 0
                ? abs.Hours.ToString(CultureInfo.InvariantCulture)
                : abs.ToString(@"h\:mm", CultureInfo.InvariantCulture);
            return $"{id} (UTC{sign}{text})";
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return id;
        }
    }
}

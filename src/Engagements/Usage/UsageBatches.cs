using System.Text.Json.Serialization;

namespace Engagements.Usage;

public sealed record UsageEventInput(
    string? EventId, string? CustomerCrmId, string? UserId, string? Feature, DateTimeOffset? OccurredAt, string? ProductVersion);

public sealed record SeatReadingInput(string? CustomerCrmId, int? ActiveSeats, DateTimeOffset? At);

public sealed record SignalInput(
    string? SignalId, string? CustomerCrmId, string? Kind, double? Value, string? Detail, DateTimeOffset? At);

public sealed record IngestionResult(int Received, int Accepted, int Duplicates)
{
    [JsonPropertyName("alertsRaised")]
    public int AlertsRaised { get; init; }
}

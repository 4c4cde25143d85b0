using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engagements.BotFramework.Schema;

/// <summary>The <c>value</c> of an <c>adaptiveCard/action</c> invoke.</summary>
public sealed class AdaptiveCardInvokeValue
{
    public AdaptiveCardInvokeAction? Action { get; set; }
    /// <summary><c>manual</c> for a click, <c>automatic</c> for a refresh; absent in the Agents Playground.</summary>
    public string? Trigger { get; set; }
    public JsonElement? Authentication { get; set; }
    public string? State { get; set; }
}

public sealed class AdaptiveCardInvokeAction
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Verb { get; set; }
    public string? Title { get; set; }
    public JsonElement? Data { get; set; }
}

/// <summary>The HTTP answer to an invoke: status plus body.</summary>
public sealed record InvokeResponse(int Status, object? Body = null);

/// <summary>The Universal Actions response contract; the HTTP status is always 200, the outcome is in <see cref="StatusCode"/>.</summary>
public sealed class AdaptiveCardInvokeResponse
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public int StatusCode { get; set; } = 200;
    public string Type { get; set; } = MessageType;
    public JsonNode? Value { get; set; }

    public static AdaptiveCardInvokeResponse Card(JsonNode card) => new() { StatusCode = 200, Type = CardType, Value = card };

    public static AdaptiveCardInvokeResponse Message(string text) => new() { StatusCode = 200, Type = MessageType, Value = JsonValue.Create(text) };

    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) => new()
    {
        StatusCode = statusCode,
        Type = ErrorType,
        Value = new JsonObject { ["code"] = code, ["message"] = message },
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Engagements.BotFramework.Schema;

public sealed class Attachment
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public string? ContentType { get; set; }
    public string? ContentUrl { get; set; }
    public JsonNode? Content { get; set; }
    public string? Name { get; set; }
    public string? ThumbnailUrl { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }

    public static Attachment AdaptiveCard(JsonNode card) => new() { ContentType = AdaptiveCardContentType, Content = card };
}

public class Entity
{
    public string? Type { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Reads this entity as a more specific type (e.g. <see cref="Mention"/>), keeping every field.</summary>
    public T? As<T>() where T : Entity =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(this, BotJson.Options), BotJson.Options);
}

public sealed class Mention : Entity
{
    public Mention() => Type = "mention";

    public ChannelAccount? Mentioned { get; set; }
    public string? Text { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engagements.BotFramework.Schema;

/// <summary>Serializer settings for the Bot Framework wire format: camelCase, nulls omitted, unknown fields kept.</summary>
public static class BotJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Engagements.Data;

// One source of truth for how an enum value is written: the JsonStringEnumMemberName attribute, when present,
// gives the seed wording ("0. Prospect", "Mid-Market", "To-Do"); otherwise the member name is used. The same text
// is stored in the database, shown on cards and accepted in JSON and commands.
public static class StoredText
{
    private static readonly ConcurrentDictionary<Type, (Dictionary<Enum, string> ToText, Dictionary<string, Enum> FromText)> Maps = new();

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => MapFor(typeof(TEnum)).ToText[value];

    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a valid {typeof(TEnum).Name}.");

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        if (text is not null && MapFor(typeof(TEnum)).FromText.TryGetValue(text.Trim(), out var found))
        {
            value = (TEnum)found;
            return true;
        }
        value = default;
        return false;
    }

    public static IReadOnlyList<string> AllOf<TEnum>() where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(Of)];

    private static (Dictionary<Enum, string> ToText, Dictionary<string, Enum> FromText) MapFor(Type type) =>
        Maps.GetOrAdd(type, static t =>
        {
            var toText = new Dictionary<Enum, string>();
            var fromText = new Dictionary<string, Enum>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var value = (Enum)field.GetValue(null)!;
                var text = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
                toText[value] = text;
                fromText[text] = value;
                fromText.TryAdd(field.Name, value);
            }
            return (toText, fromText);
        });
}

public sealed class StoredTextConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => StoredText.Of(value),
    text => StoredText.Parse<TEnum>(text))
    where TEnum : struct, Enum;

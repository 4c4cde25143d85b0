using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Engagements.Data;

namespace Engagements.Cards;

// What a person reads for an enum value, on cards and in replies: the member's [Display(Name = ...)] ("Team lead",
// "Escalated to CSM"), else its stored text. The database, JSON, audit entries and typed commands keep StoredText, so
// a wording change here never touches stored data.
public static class DisplayText
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Names<TEnum>.ByValue[value];

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().ToDictionary(
            value => value,
            value => typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<DisplayAttribute>()?.Name ?? StoredText.Of(value));
    }
}

using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// How an enum is stored: as text, the spelling EF's enum-to-string converter writes. The configurations map enum
/// properties with <see cref="Converter{T}"/> and hand-written SQL spells values with <see cref="Name{T}"/> or
/// <see cref="Literal{T}"/>, so that the 'Public' in a read model's SQL is the text EF writes for Visibility.Public
/// by construction, not by coincidence.
/// </summary>
internal static class StoredEnum
{
    public static ValueConverter<T, string> Converter<T>() where T : struct, Enum => Of<T>.Converter;

    public static string Name<T>(T value) where T : struct, Enum => (string)Of<T>.Converter.ConvertToProvider(value)!;

    public static T Parse<T>(string stored) where T : struct, Enum => (T)Of<T>.Converter.ConvertFromProvider(stored)!;

    /// <summary>
    /// The stored text as a SQL literal. Conditions the planner should estimate from the column's statistics
    /// (visibility, status) stay literals, as EF writes constants, rather than parameters of a generic prepared plan.
    /// </summary>
    public static string Literal<T>(T value) where T : struct, Enum => $"'{Name(value).Replace("'", "''", StringComparison.Ordinal)}'";

    private static class Of<T> where T : struct, Enum
    {
        public static readonly EnumToStringConverter<T> Converter = new();
    }
}

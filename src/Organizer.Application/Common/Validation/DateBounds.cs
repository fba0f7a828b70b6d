namespace Organizer.Application.Common.Validation;

/// <summary>
/// The dates any input may carry. PostgreSQL turns the ends of .NET's calendar into ±infinity, which the summary's
/// arithmetic and the feeds' formatting cannot handle, so one organization's far-fetched date could break another's
/// pages. Every date in a body or a filter stays inside these years, which every output represents.
/// </summary>
public static class DateBounds
{
    public const int FirstYear = 1800;
    public const int LastYear = 2200;

    public static readonly string Range = $"{FirstYear}–{LastYear}";

    public static bool Contains(DateOnly date) => date.Year is >= FirstYear and <= LastYear;

    public static bool Contains(DateTime date) => date.Year is >= FirstYear and <= LastYear;

    public static string Problem(string field) => $"'{field}' must fall in the years {Range}.";
}

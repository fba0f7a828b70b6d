namespace Organizer.Application.Search;

/// <summary>Settings under <c>Organizer:Search</c>.</summary>
public sealed class SearchOptions
{
    public const string Section = "Organizer:Search";

    /// <summary>
    /// The most matches of one type that are ranked. A word found in more of them than this is ranked within the
    /// matches nearest to today: ranking costs time for every match, and a common word matches hundreds of thousands.
    /// </summary>
    public int RankWithin { get; set; } = 1000;
}

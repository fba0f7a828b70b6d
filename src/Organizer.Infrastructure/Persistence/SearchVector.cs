namespace Organizer.Infrastructure.Persistence;

/// <summary>The database side of full-text search (see the SearchAndTimeline migration), named once for the mapping and the queries.</summary>
internal static class SearchVector
{
    /// <summary>The text search configuration: English stemming after stripping accents, so that "Anez" finds "Áñez".</summary>
    public const string Config = "organizer_search";

    /// <summary>The stored, GIN-indexed tsvector shadow property (column <c>search_vector</c>) of each searchable table.</summary>
    public const string Property = "SearchVector";
}

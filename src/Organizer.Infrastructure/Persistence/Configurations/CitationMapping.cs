using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Common;

namespace Organizer.Infrastructure.Persistence.Configurations;

internal static class CitationMapping
{
    /// <summary>Citations live beside their record as a jsonb array: they are always read with it, never on their own.</summary>
    public static void HasCitations<T>(this EntityTypeBuilder<T> builder, System.Linq.Expressions.Expression<Func<T, IEnumerable<Citation>?>> citations)
        where T : class =>
        builder.OwnsMany<Citation>(citations, c => c.ToJson("citations"));

    /// <summary>
    /// A stored tsvector over <paramref name="weightedSql"/> (title-like text weighted A, body B), in the
    /// <c>organizer_search</c> configuration, which strips accents so that "Anez" finds "Áñez"; GIN-indexed.
    /// It is a shadow property: full-text search is a persistence concern the domain need not see.
    /// </summary>
    public static void HasSearchVector<T>(this EntityTypeBuilder<T> builder, string weightedSql)
        where T : class
    {
        builder.Property<NpgsqlTypes.NpgsqlTsVector>(SearchVector).HasComputedColumnSql(weightedSql, stored: true);
        builder.HasIndex(SearchVector).HasMethod("GIN");
    }

    public const string SearchVector = "SearchVector";

    public static string Weighted(string weight, string column) =>
        $"setweight(to_tsvector('organizer_search'::regconfig, coalesce({column}, '')), '{weight}')";

    /// <summary>Maps the xmin system column as the concurrency token.</summary>
    public static void HasVersion<T>(this EntityTypeBuilder<T> builder) where T : Entity =>
        builder.Property(e => e.Version).IsRowVersion();
}

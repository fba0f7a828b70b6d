using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Organizer.Infrastructure.Persistence.Configurations;

internal static class SearchVectorMapping
{
    /// <summary>
    /// A stored tsvector over <paramref name="weightedSql"/> (title-like text weighted A, body B), in the
    /// <see cref="SearchVector.Config"/> configuration, GIN-indexed. It is a shadow property: full-text search is a
    /// persistence concern the domain need not see.
    /// </summary>
    public static void HasSearchVector<T>(this EntityTypeBuilder<T> builder, string weightedSql)
        where T : class
    {
        builder.Property<NpgsqlTypes.NpgsqlTsVector>(SearchVector.Property).HasComputedColumnSql(weightedSql, stored: true);
        builder.HasIndex(SearchVector.Property).HasMethod("GIN");
    }

    public static string Weighted(string weight, string column) =>
        $"setweight(to_tsvector('{SearchVector.Config}'::regconfig, coalesce({column}, '')), '{weight}')";
}

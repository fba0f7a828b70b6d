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
}

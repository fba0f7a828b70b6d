using Microsoft.EntityFrameworkCore;
using Organizer.Domain.Common;

namespace Organizer.Application.Common.Models;

/// <summary>A citation expanded with what is known of its document.</summary>
public sealed record SourceDto(
    string Document,
    string Quote,
    string? Title,
    string? Publication,
    string? Author,
    DateOnly? PublishedOn,
    string? Url);

public static class SourceMapping
{
    /// <summary>
    /// Expands citations with their documents' metadata, loading in one round trip only the documents that
    /// <paramref name="cited"/> names (every citation the expander will be given).
    /// </summary>
    public static async Task<Func<IEnumerable<Citation>, IReadOnlyList<SourceDto>>> LoadExpanderAsync(
        this IOrganizerDbContext db, IEnumerable<Citation> cited, CancellationToken cancellationToken)
    {
        var names = cited.Select(c => c.Document).ToHashSet(StringComparer.Ordinal);
        var wanted = names.ToList();
        var documents = wanted.Count == 0
            ? []
            : await db.SourceDocuments.AsNoTracking().Where(d => wanted.Contains(d.Document)).ToDictionaryAsync(d => d.Document, cancellationToken);

        // A document that was never loaded would read as one that does not exist; that is a caller's mistake, not data.
        return citations => citations
            .Select(c => !names.Contains(c.Document)
                ? throw new InvalidOperationException($"The citation of '{c.Document}' was not among those the sources were loaded for.")
                : documents.TryGetValue(c.Document, out var d)
                    ? new SourceDto(c.Document, c.Quote, d.Title, d.Publication, d.Author, d.PublishedOn, d.Url)
                    : new SourceDto(c.Document, c.Quote, null, null, null, null, null))
            .ToList();
    }
}

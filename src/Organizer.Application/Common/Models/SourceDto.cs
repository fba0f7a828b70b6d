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
    /// <summary>Expands citations with their documents' metadata in one round trip.</summary>
    public static async Task<Func<IEnumerable<Citation>, IReadOnlyList<SourceDto>>> LoadExpanderAsync(
        this IOrganizerDbContext db, CancellationToken cancellationToken)
    {
        var documents = await db.SourceDocuments.AsNoTracking().ToDictionaryAsync(d => d.Document, cancellationToken);
        return citations => citations
            .Select(c => documents.TryGetValue(c.Document, out var d)
                ? new SourceDto(c.Document, c.Quote, d.Title, d.Publication, d.Author, d.PublishedOn, d.Url)
                : new SourceDto(c.Document, c.Quote, null, null, null, null, null))
            .ToList();
    }
}

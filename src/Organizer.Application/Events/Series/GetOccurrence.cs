using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Application.Places;
using Organizer.Domain.Events;

namespace Organizer.Application.Events.Series;

/// <summary>One occurrence of a series, read at /api/events/{series}/occurrences/{occurrence}: an <see cref="OccurrenceDto"/> that names its series.</summary>
/// <param name="Series">The series' slug.</param>
public sealed record SeriesOccurrenceDto(
    string Series,
    string Occurrence,
    string Title,
    EventStatus Status,
    string? StatusReason,
    bool AllDay,
    string Start,
    string? End,
    PlaceRefDto? Place,
    bool Changed,
    int Sequence)
{
    internal static SeriesOccurrenceDto From(string series, OccurrenceDto o) =>
        new(series, o.Occurrence, o.Title, o.Status, o.StatusReason, o.AllDay, o.Start, o.End, o.Place, o.Changed, o.Sequence);
}

/// <summary>One occurrence; whoever may see the series may read it.</summary>
public sealed record GetOccurrenceQuery(string Slug, string Occurrence, Actor? Viewer = null) : IQuery<SeriesOccurrenceDto>;

public sealed class GetOccurrenceQueryHandler(IOrganizerDbContext db) : IQueryHandler<GetOccurrenceQuery, SeriesOccurrenceDto>
{
    public async ValueTask<SeriesOccurrenceDto> Handle(GetOccurrenceQuery query, CancellationToken cancellationToken)
    {
        var series = Slugs.IsWellFormed(query.Slug)
            ? await db.Events.AsNoTracking().Include(e => e.Participations).Include(e => e.Overrides).AsSingleQuery()
                .FirstOrDefaultAsync(e => e.Slug == query.Slug.ToLowerInvariant(), cancellationToken)
            : null;
        if (series is null || !EventVisibility.MayView(series, query.Viewer))
        {
            throw new NotFoundException("event", query.Slug);
        }

        return await Occurrences.ShowAsync(db, series, Occurrences.DateOf(series, query.Occurrence), cancellationToken);
    }
}

/// <summary>What the occurrence routes share: naming an occurrence by its date, and showing it.</summary>
internal static class Occurrences
{
    /// <summary>
    /// The rule date <paramref name="text"/> names. A single event, text that is not a date, a date the rule does not
    /// give and a removed date all answer alike: there is no such occurrence.
    /// </summary>
    public static DateOnly DateOf(Event series, string text)
    {
        if (series.Recurrence is null || !Times.TryBoundedDate(text, out var date) || SeriesExpansion.On(series, date) is null)
        {
            throw new NotFoundException("occurrence", $"{series.Slug}/{Shown(text)}");
        }

        return date;
    }

    public static async Task<SeriesOccurrenceDto> ShowAsync(IOrganizerDbContext db, Event series, DateOnly date, CancellationToken cancellationToken)
    {
        var occurrence = SeriesExpansion.On(series, date) ?? throw new NotFoundException("occurrence", $"{series.Slug}/{Key(date)}");
        return SeriesOccurrenceDto.From(series.Slug, SeriesView.ToDto(occurrence, await SeriesView.PlacesAsync(db, series, cancellationToken)));
    }

    public static string Key(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The path segment as the error repeats it: short enough that no client can make the answer large.</summary>
    private static string Shown(string text) => text.Length > 20 ? text[..20] + "…" : text;
}

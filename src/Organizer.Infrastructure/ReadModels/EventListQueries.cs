using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Organizer.Application.Common.Models;
using Organizer.Application.Events;
using Organizer.Domain.Events;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Infrastructure.ReadModels;

/// <remarks>EF translates a tsquery only when it is built inside each expression, not hoisted into a variable.</remarks>
internal sealed class EventListQueries : IEventListQueries
{
    public IQueryable<Event> Matching(IQueryable<Event> events, string words) =>
        events.Where(e => EF.Property<NpgsqlTsVector>(e, SearchVector.Property).Matches(EF.Functions.WebSearchToTsQuery(SearchVector.Config, words)));

    public IQueryable<Event> After(IQueryable<Event> events, Cursor cursor) =>
        events.Where(e => EF.Functions.GreaterThan(ValueTuple.Create(e.Schedule.SortAt, e.Id), ValueTuple.Create(cursor.SortAt, cursor.Id)));

    public IQueryable<RankedEvent> Ranked(IQueryable<Event> events, string words, RelevanceCursor? cursor)
    {
        var ranked = events.Select(e => new RankedEvent
        {
            Id = e.Id,
            Rank = EF.Property<NpgsqlTsVector>(e, SearchVector.Property).Rank(EF.Functions.WebSearchToTsQuery(SearchVector.Config, words)),
        });
        if (cursor is { } after)
        {
            // Descending rank and ascending id as one row comparison: (-rank, id) > (-last rank, last id).
            ranked = ranked.Where(r => EF.Functions.GreaterThan(ValueTuple.Create(-r.Rank, r.Id), ValueTuple.Create(-after.Rank, after.Id)));
        }

        return ranked;
    }
}

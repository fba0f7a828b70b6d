using Mediator;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Events;

/// <summary>One event. Private and pending events are shown only to the admin and the host's tokens; to anyone else they do not exist.</summary>
public sealed record GetEventQuery(string Slug, Actor? Viewer = null) : IQuery<EventDetailDto>;

public sealed class GetEventQueryHandler(IOrganizerDbContext db, ILinks links, TimeProvider clock) : IQueryHandler<GetEventQuery, EventDetailDto>
{
    public async ValueTask<EventDetailDto> Handle(GetEventQuery query, CancellationToken cancellationToken) =>
        await new EventDetails(db, links, clock).ReadAsync(query.Slug, query.Viewer, justWritten: false, cancellationToken);
}

using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Events;

/// <summary>Deletes an event (admin only). Feeds stop showing it, and their Last-Modified still moves forward.</summary>
public sealed record DeleteEventCommand(string Slug, Actor Actor) : ICommand;

public sealed class DeleteEventCommandHandler(IOrganizerDbContext db, TimeProvider clock) : ICommandHandler<DeleteEventCommand>
{
    public async ValueTask<Unit> Handle(DeleteEventCommand command, CancellationToken cancellationToken)
    {
        var e = Slugs.IsWellFormed(command.Slug) ? await db.Events.FirstOrDefaultAsync(x => x.Slug == command.Slug, cancellationToken) : null;
        if (e is null)
        {
            throw new NotFoundException("event", command.Slug);
        }

        if (await db.Events.AnyAsync(s => s.ParentId == e.Id, cancellationToken))
        {
            throw new ConflictException("The event has sessions; delete them first.");
        }

        var statements = await db.Statements.Where(s => s.ReadAtEventId == e.Id).ToListAsync(cancellationToken);
        statements.ForEach(s => s.ReadAtEventId = null);
        db.Events.Remove(e);
        db.AuditEntries.Add(EventAssembler.Audit(command.Actor, "delete", e, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

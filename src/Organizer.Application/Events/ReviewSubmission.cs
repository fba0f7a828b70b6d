using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>The admin's decision on an anonymous submission: approve (it becomes visible) or reject (it is deleted).</summary>
public sealed record ReviewSubmissionCommand(string Slug, bool Approve, Actor Actor) : ICommand<WrittenEvent?>;

public sealed class ReviewSubmissionCommandHandler(IOrganizerDbContext db, TimeProvider clock, ILinks links) : ICommandHandler<ReviewSubmissionCommand, WrittenEvent?>
{
    public async ValueTask<WrittenEvent?> Handle(ReviewSubmissionCommand command, CancellationToken cancellationToken)
    {
        var e = Slugs.IsWellFormed(command.Slug) ? await db.Events.FirstOrDefaultAsync(x => x.Slug == command.Slug, cancellationToken) : null;
        if (e is null)
        {
            throw new NotFoundException("event", command.Slug);
        }

        if (e.Status != EventStatus.Pending)
        {
            throw new ConflictException("Only pending submissions are reviewed.");
        }

        db.AuditEntries.Add(EventAssembler.Audit(command.Actor, command.Approve ? "approve" : "reject", e, clock.GetUtcNow()));
        if (command.Approve)
        {
            e.Status = EventStatus.Scheduled;
        }
        else
        {
            db.Events.Remove(e);

            // A place recorded with the rejected submission, and used by nothing else, goes with it: nobody vouched for it.
            var orphan = await db.Places
                .Where(p => p.Id == e.PlaceId && !p.IsPublic && p.RecordedById == null && !db.Events.Any(x => x.PlaceId == p.Id && x.Id != e.Id))
                .FirstOrDefaultAsync(cancellationToken);
            if (orphan is not null)
            {
                db.Places.Remove(orphan);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return command.Approve ? await new EventDetails(db, links, clock).WrittenAsync(e, command.Actor, cancellationToken) : null;
    }
}

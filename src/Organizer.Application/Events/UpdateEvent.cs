using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using Organizer.Application.Common;
using Organizer.Application.Access;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>Replaces an event's fields (PUT).</summary>
public sealed record UpdateEventCommand(string Slug, EventInput Input, uint? ExpectedVersion, Actor Actor) : ICommand<WrittenEvent>;

public sealed class UpdateEventCommandValidator : AbstractValidator<UpdateEventCommand>
{
    public UpdateEventCommandValidator() => RuleFor(c => c.Input).SetValidator(new EventInputValidator());
}

public sealed class UpdateEventCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links) : ICommandHandler<UpdateEventCommand, WrittenEvent>
{
    public async ValueTask<WrittenEvent> Handle(UpdateEventCommand command, CancellationToken cancellationToken)
    {
        var e = await EventAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, command.ExpectedVersion, cancellationToken);
        return await new EventReplacement(db, access, clock, links).ReplaceAsync(e, command.Input, command.Actor, cancellationToken);
    }
}

/// <summary>Replaces a loaded event's fields with a validated body: what PUT and PATCH share once the body is known.</summary>
internal sealed class EventReplacement(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links)
{
    public async Task<WrittenEvent> ReplaceAsync(Event e, EventInput input, Actor actor, CancellationToken cancellationToken)
    {
        var draft = EventDraft.From(input);
        var references = await EventReferences.ResolveAsync(db, draft, actor, cancellationToken);
        var host = EventVisibility.HostOf(e);
        if (draft.HostSlug is { } hostSlug)
        {
            var named = references.Organizations[hostSlug];
            if (named != host)
            {
                await access.EnsureAllowedAsync(new Change.HandOver(e), actor);
            }

            host = named;
        }

        // One transaction: a new place's slug stays locked until the place is committed with the event.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await new EventAssembler(db, access).ApplyAsync(e, draft, references, host, actor, cancellationToken);

        // Organizations and speakers live in their own rows; the event itself still changed for its subscribers
        // (DESCRIPTION, CONTACT), so its last-change time moves too.
        e.UpdatedAt = clock.GetUtcNow();
        db.AuditEntries.Add(EventAssembler.Audit(actor, "update", e, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await new EventDetails(db, links, clock).WrittenAsync(e, actor, cancellationToken);
    }
}

using FluentValidation;
using Mediator;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Events;

public sealed record CreateEventCommand(EventInput Input, Actor Actor) : ICommand<WrittenEvent>;

public sealed class CreateEventCommandValidator : AbstractValidator<CreateEventCommand>
{
    public CreateEventCommandValidator() => RuleFor(c => c.Input).SetValidator(new EventInputValidator());
}

public sealed class CreateEventCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links)
    : ICommandHandler<CreateEventCommand, WrittenEvent>
{
    public async ValueTask<WrittenEvent> Handle(CreateEventCommand command, CancellationToken cancellationToken)
    {
        var actor = command.Actor;
        var draft = EventDraft.From(command.Input);

        // One transaction: the slugs picked for the event and a new place stay locked until both rows are committed.
        // Begun first, so that every statement of the create goes over one connection, taken from the pool once.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // EF would wrap the save in a savepoint, two more statements, so that a failed save could be retried within
        // the transaction. A failed create is never retried: the whole transaction goes.
        db.Database.AutoSavepointsEnabled = false;
        var references = await EventReferences.ResolveAsync(db, draft, actor, cancellationToken);
        var hostId = await HostAsync(draft, references, actor);
        var e = new Event
        {
            // Placeholders: the slug is picked below, once the event has its id; the assembler sets the others from
            // the draft.
            Slug = "",
            Title = "",
            Schedule = EventSchedule.AllDayRange(DateOnly.MinValue, DateOnly.MinValue, "Etc/UTC"),
        };
        e.Slug = await new SlugAllocator(db).EventAsync(EventAssembler.BaseSlug(draft, e.Id), e.Id, cancellationToken);
        await new EventAssembler(db, access).ApplyAsync(e, draft, references, hostId, actor, cancellationToken);

        // Anonymous submissions wait, invisible, until the admin approves them.
        e.Status = actor.IsAnonymous ? EventStatus.Pending : EventStatus.Scheduled;
        db.Events.Add(e);
        db.AuditEntries.Add(EventAssembler.Audit(actor, "create", e, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);

        // Composed before the commit, on the same connection (it may look up cited documents); sent only after it.
        var answer = await new EventDetails(db, links, clock).CreatedAsync(e, references, draft.ParentSlug, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return answer;
    }

    private async Task<Guid?> HostAsync(EventDraft draft, EventReferences references, Actor actor)
    {
        Guid? named = draft.HostSlug is null ? null : references.Organizations[draft.HostSlug];

        if (named is { } host)
        {
            await access.EnsureAllowedAsync(new Change.HostedBy(host), actor);
        }

        switch (actor.Kind)
        {
            case ActorKind.Organization:
                return actor.OrganizationId;
            case ActorKind.Admin when draft.HostSlug is null:
                throw new ValidationException("host", "The admin names the hosting organization in 'host'.");
            default:
                return named;
        }
    }
}

using FluentValidation;
using Mediator;
using Organizer.Application.Access;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;
using Organizer.Application.Places;

namespace Organizer.Application.Events;

public sealed record CreateEventCommand(EventInput Input, Actor Actor) : ICommand<WrittenEvent>;

public sealed class CreateEventCommandValidator : AbstractValidator<CreateEventCommand>
{
    public CreateEventCommandValidator(IOrganizerDbContext db)
    {
        RuleFor(c => c.Input).SetValidator(new EventInputValidator(db));
        RuleFor(c => c).MustAsync((c, ct) => PlaceReference.IsVisibleAsync(db, c.Input.Place, c.Actor, ct))
            .OverridePropertyName("place").WithMessage(c => PlaceReference.Missing(c.Input.Place));
    }
}

public sealed class CreateEventCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links)
    : ICommandHandler<CreateEventCommand, WrittenEvent>
{
    public async ValueTask<WrittenEvent> Handle(CreateEventCommand command, CancellationToken cancellationToken)
    {
        var (input, actor) = (command.Input, command.Actor);
        var hostId = await HostAsync(input, actor, cancellationToken);

        // One transaction: the slugs picked for the event and a new place stay locked until both rows are committed.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var e = new Event
        {
            // Placeholders: the slug is picked below, once the event has its id; the assembler sets the others from
            // the validated input.
            Slug = "",
            Title = "",
            Schedule = EventSchedule.AllDayRange(DateOnly.MinValue, DateOnly.MinValue, "Etc/UTC"),
        };
        e.Slug = await new SlugAllocator(db).EventAsync(EventAssembler.BaseSlug(input, e.Id), e.Id, cancellationToken);
        await new EventAssembler(db, access).ApplyAsync(e, input, hostId, actor, cancellationToken);

        // Anonymous submissions wait, invisible, until the admin approves them.
        e.Status = actor.IsAnonymous ? EventStatus.Pending : EventStatus.Scheduled;
        db.Events.Add(e);
        db.AuditEntries.Add(EventAssembler.Audit(actor, "create", e, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await new EventDetails(db, links).WrittenAsync(e, actor, cancellationToken);
    }

    private async Task<Guid?> HostAsync(EventInput input, Actor actor, CancellationToken cancellationToken)
    {
        Guid? named = input.Host is null
            ? null
            : await db.Organizations.BySlugOrAlias(input.Host).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);

        if (named is { } host)
        {
            await access.EnsureAllowedAsync(new Change.HostedBy(host), actor);
        }

        switch (actor.Kind)
        {
            case ActorKind.Organization:
                return actor.OrganizationId;
            case ActorKind.Admin when input.Host is null:
                throw new ValidationException("host", "The admin names the hosting organization in 'host'.");
            default:
                return named;
        }
    }
}

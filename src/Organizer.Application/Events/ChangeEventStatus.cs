using FluentValidation;
using Mediator;
using Organizer.Application.Access;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>Cancels or postpones an event. It stays in feeds, with its new STATUS and a higher SEQUENCE.</summary>
public sealed record ChangeEventStatusCommand(string Slug, EventStatus NewStatus, string? Reason, uint? ExpectedVersion, Actor Actor) : ICommand<WrittenEvent>;

public sealed class ChangeEventStatusCommandValidator : AbstractValidator<ChangeEventStatusCommand>
{
    public ChangeEventStatusCommandValidator()
    {
        RuleFor(c => c.NewStatus).Must(s => s is EventStatus.Cancelled or EventStatus.Postponed or EventStatus.Scheduled);
        RuleFor(c => c.Reason).MaximumLength(2000).IsSafeMultilineText().OverridePropertyName("reason");
        RuleFor(c => c.Reason).NotEmpty().When(c => c.NewStatus == EventStatus.Cancelled)
            .OverridePropertyName("reason").WithMessage("Say why the event is cancelled in 'reason': subscribers see it.");
    }
}

public sealed class ChangeEventStatusCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links) : ICommandHandler<ChangeEventStatusCommand, WrittenEvent>
{
    public async ValueTask<WrittenEvent> Handle(ChangeEventStatusCommand command, CancellationToken cancellationToken)
    {
        var e = await EventAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, command.ExpectedVersion, cancellationToken);
        if (e.Status == EventStatus.Pending)
        {
            throw new ConflictException("The event is still pending review; the admin approves or rejects it first.");
        }

        e.Status = command.NewStatus;
        e.StatusReason = command.Reason?.Trim();
        db.AuditEntries.Add(EventAssembler.Audit(command.Actor, command.NewStatus.ToString().ToLowerInvariant(), e, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return await new EventDetails(db, links, clock).WrittenAsync(e, command.Actor, cancellationToken);
    }
}

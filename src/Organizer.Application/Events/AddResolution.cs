using FluentValidation;
using Mediator;
using Organizer.Application.Access;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

public sealed record ResolutionInput(string? Title, string? Text, string? Outcome, int? Ordinal);

/// <summary>Records a resolution put to an assembly (or a conference), numbered after the ones already recorded.</summary>
public sealed record AddResolutionCommand(string Slug, ResolutionInput Input, Actor Actor) : ICommand<ResolutionDto>;

public sealed class AddResolutionCommandValidator : AbstractValidator<AddResolutionCommand>
{
    public AddResolutionCommandValidator()
    {
        RuleFor(c => c.Input.Title).NotEmpty().MaximumLength(300).IsSafeText().OverridePropertyName("title");
        RuleFor(c => c.Input.Text).NotEmpty().MaximumLength(20_000).IsSafeMultilineText().OverridePropertyName("text");
        RuleFor(c => c.Input.Outcome).Must(o => KebabEnum.TryParse<ResolutionOutcome>(o, out _)).When(c => c.Input.Outcome is not null)
            .OverridePropertyName("outcome").WithMessage($"'outcome' must be one of: {KebabEnum.Allowed<ResolutionOutcome>()}.");
        RuleFor(c => c.Input.Ordinal).InclusiveBetween(1, 10_000).When(c => c.Input.Ordinal is not null).OverridePropertyName("ordinal");
    }
}

public sealed class AddResolutionCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock) : ICommandHandler<AddResolutionCommand, ResolutionDto>
{
    public async ValueTask<ResolutionDto> Handle(AddResolutionCommand command, CancellationToken cancellationToken)
    {
        var e = await EventAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, null, cancellationToken);
        if (e.Kind is not (EventKind.Assembly or EventKind.Conference))
        {
            throw new ConflictException("Resolutions are adopted at assemblies and conferences; this event is a " + e.Kind.ToKebab() + ".");
        }

        var ordinals = await db.Resolutions.Where(r => r.EventId == e.Id).Select(r => r.Ordinal).ToListAsync(cancellationToken);
        var ordinal = command.Input.Ordinal ?? (ordinals.Count == 0 ? 1 : ordinals.Max() + 1);
        if (ordinals.Contains(ordinal))
        {
            throw new ConflictException($"Resolution {ordinal} is already recorded for this event.");
        }

        var resolution = new Resolution
        {
            EventId = e.Id,
            Ordinal = ordinal,
            Title = command.Input.Title!.Trim(),
            Text = command.Input.Text!.Trim(),
            Outcome = KebabEnum.TryParse<ResolutionOutcome>(command.Input.Outcome, out var outcome) ? outcome : ResolutionOutcome.Adopted,
        };
        db.Resolutions.Add(resolution);
        db.AuditEntries.Add(command.Actor.Audit("create", "resolution", resolution.Id, $"{e.Slug}#{ordinal}", clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return new ResolutionDto(resolution.Ordinal, resolution.Title, resolution.Text, resolution.Outcome, []);
    }
}

using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Application.Events;
using Organizer.Domain.Places;

namespace Organizer.Application.Places;

/// <summary>Records a place any organization can then name by slug.</summary>
public sealed record CreatePlaceCommand(PlaceInput Input, Actor Actor) : ICommand<string>, IActorCommand;

public sealed class CreatePlaceCommandValidator : AbstractValidator<CreatePlaceCommand>
{
    public CreatePlaceCommandValidator() => RuleFor(c => c.Input).SetValidator(new PlaceInputValidator());
}

public sealed class CreatePlaceCommandHandler(IOrganizerDbContext db, TimeProvider clock) : ICommandHandler<CreatePlaceCommand, string>
{
    public async ValueTask<string> Handle(CreatePlaceCommand command, CancellationToken cancellationToken)
    {
        if (command.Actor.IsAnonymous)
        {
            throw new UnauthorizedException("Recording a place needs a token (Authorization: Bearer …).");
        }

        var p = command.Input;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var place = new Place
        {
            Slug = "", // Picked below: an unnamable place's slug comes from its id.
            Name = p.Name!.Trim(),
            Address = p.Address,
            City = p.City!.Trim(),
            Region = p.Region,
            CountryCode = p.CountryCode!.ToUpperInvariant(),
            Latitude = p.Latitude,
            Longitude = p.Longitude,
            TimeZone = p.TimeZone,

            // The admin records public places; an organization's stays its own until a public event uses it.
            IsPublic = command.Actor.IsAdmin,
            RecordedById = command.Actor.OrganizationId,
        };
        place.Slug = await new SlugAllocator(db).PlaceAsync(Slugs.From($"{p.Name} {p.City}"), place.Id, cancellationToken);
        db.Places.Add(place);
        db.AuditEntries.Add(command.Actor.Audit("create", "place", place.Id, place.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return place.Slug;
    }
}

using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Security;
using Organizer.Domain.Places;

namespace Organizer.Application.Places;

/// <summary>Records a place any organization can then name by slug.</summary>
public sealed record CreatePlaceCommand(PlaceInput Input, Actor Actor) : ICommand<PlaceDto>;

public sealed class CreatePlaceCommandValidator : AbstractValidator<CreatePlaceCommand>
{
    public CreatePlaceCommandValidator() => RuleFor(c => c.Input).SetValidator(new PlaceInputValidator());
}

public sealed class CreatePlaceCommandHandler(IOrganizerDbContext db, TimeProvider clock) : ICommandHandler<CreatePlaceCommand, PlaceDto>
{
    public async ValueTask<PlaceDto> Handle(CreatePlaceCommand command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The admin records public places; an organization's stays its own until a public event uses it.
        var place = await PlaceRecorder.AddAsync(db, command.Input, command.Actor, command.Actor.IsAdmin, null, cancellationToken);
        db.AuditEntries.Add(command.Actor.Audit("create", "place", place.Id, place.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await PlaceDetails.ReadAsync(db, place.Slug, command.Actor, cancellationToken);
    }
}

/// <summary>A new place from a client's <see cref="PlaceInput"/>, by POST /api/places or as an event's <c>newPlace</c>.</summary>
internal static class PlaceRecorder
{
    /// <param name="isPublic">Whether it is public from the start; otherwise only once a public event uses it.</param>
    /// <param name="zoneIfNone">The time zone to keep when the input names none (the event's own).</param>
    /// <remarks>Runs inside the command's transaction: the slug stays locked until the place is committed.</remarks>
    public static async Task<Place> AddAsync(
        IOrganizerDbContext db, PlaceInput p, Actor actor, bool isPublic, string? zoneIfNone, CancellationToken cancellationToken)
    {
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
            TimeZone = p.TimeZone ?? zoneIfNone,
            IsPublic = isPublic,
            RecordedById = actor.OrganizationId,
        };
        place.Slug = await new SlugAllocator(db).PlaceAsync(Slugs.From($"{p.Name} {p.City}"), place.Id, cancellationToken);
        db.Places.Add(place);
        return place;
    }
}

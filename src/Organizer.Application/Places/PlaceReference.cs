using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Places;

/// <summary>A place named by slug in an event body: it must be one the caller may see, or it answers as missing.</summary>
public static class PlaceReference
{
    public static async Task<bool> IsVisibleAsync(IOrganizerDbContext db, string? slug, Actor actor, CancellationToken cancellationToken) =>
        slug is null || !Slugs.IsWellFormed(slug) || await EventVisibility.PlacesVisibleTo(db, actor).AnyAsync(p => p.Slug == slug, cancellationToken);

    public static string Missing(string? slug) => $"No place '{slug}' exists; create it with 'newPlace' or POST /api/places.";
}

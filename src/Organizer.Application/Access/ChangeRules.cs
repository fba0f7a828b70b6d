using Organizer.Application.Common.Security;
using Organizer.Domain.Events;

namespace Organizer.Application.Access;

/// <summary>
/// A change a handler is about to make to something it has loaded: the resource that <see cref="ChangeRules"/>
/// decide on, asked through <see cref="IChangeAuthorization"/>.
/// </summary>
public abstract record Change
{
    private Change()
    {
    }

    /// <summary>Changing the event itself: its fields, its status, its resolutions.</summary>
    public sealed record OfEvent(Event Event) : Change;

    /// <summary>Naming <paramref name="Parent"/> as a session's parent.</summary>
    public sealed record SessionOf(Event Parent) : Change;

    /// <summary>Naming an event as the one a statement was read at.</summary>
    public sealed record StatementReadAt(Event Event) : Change;

    /// <summary>Giving an event to a host other than its own.</summary>
    public sealed record HandOver(Event Event) : Change;

    /// <summary>Taking an organization off an event it is listed on.</summary>
    public sealed record TakeOff(Event Event, Guid OrganizationId) : Change;

    /// <summary>Acting for an organization: its record, its tokens, its statements, its private feed.</summary>
    public sealed record ForOrganization(Guid OrganizationId) : Change;

    /// <summary>Posting an event that the organization hosts.</summary>
    public sealed record HostedBy(Guid OrganizationId) : Change;
}

/// <summary>
/// Who may change what: every 403 about a record a handler has loaded. Seeing comes first: an event the caller may
/// not see (<see cref="EventVisibility.MayView"/>) is answered as missing before any of these rules is asked, since
/// a 403 would confirm that it exists.
/// </summary>
public static class ChangeRules
{
    /// <summary>Null when <paramref name="actor"/> may make the change; otherwise why not, as the 403 says it.</summary>
    public static string? Refusal(Change change, Actor actor) => change switch
    {
        Change.OfEvent(var e) when !MayChange(e, actor) =>
            "Only the hosting organization's tokens (or the admin) may change this event.",
        Change.SessionOf(var parent) when !MayChange(parent, actor) =>
            $"Sessions are added only to an event your organization hosts; '{parent.Slug}' is another organization's.",
        Change.StatementReadAt(var e) when !MayChange(e, actor) =>
            $"A statement is attached only to an event your organization hosts; '{e.Slug}' is another organization's.",
        Change.HandOver when !actor.IsAdmin =>
            "Only the admin may hand an event to another host.",

        // Any host may name others without asking them, as news reports do; so the named organization may always
        // take its name off again.
        Change.TakeOff(var e, var organization) when !ActsFor(actor, organization) && !MayChange(e, actor) =>
            "Only the organization itself, the event's host or the admin may take it off the event.",
        Change.ForOrganization(var organization) when !ActsFor(actor, organization) =>
            "A token acts only for its own organization.",

        // An anonymous submission names the host it proposes and waits for the admin's review.
        Change.HostedBy(var organization) when !actor.IsAnonymous && !ActsFor(actor, organization) =>
            "An organization's token creates events its own organization hosts; list others in 'organizations'.",
        _ => null,
    };

    /// <summary>Who may change an event, or attach a session or a statement to it: the admin, or its host's tokens.</summary>
    /// <remarks>Seeing is not changing: a co-organizer of a private event sees it and may not change it.</remarks>
    public static bool MayChange(Event e, Actor actor) => actor.IsAdmin || (EventVisibility.HostOf(e) is { } host && ActsFor(actor, host));

    /// <summary>Whether this actor may act for the organization: the admin always, a token only for its own.</summary>
    public static bool ActsFor(Actor actor, Guid organizationId) =>
        actor.IsAdmin || (actor.Kind == ActorKind.Organization && actor.OrganizationId == organizationId);
}

using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Access;

/// <summary>
/// Who may call a write route at all, decided from the caller alone before the body is read. The API applies these
/// by name as ASP.NET Core authorization policies (<c>RequireAuthorization</c>); the rules and their answers are here.
/// What a caller may do to a record it names is decided later, once the record is loaded (<see cref="ChangeRules"/>).
/// </summary>
public static class AccessPolicies
{
    /// <summary>The admin token only.</summary>
    public const string Admin = nameof(Admin);

    /// <summary>Any accepted token: the admin's or an organization's.</summary>
    public const string OrganizationToken = nameof(OrganizationToken);

    /// <summary>Any accepted token, or nobody at all while anonymous submissions are open (POST /api/events only).</summary>
    public const string AnonymousSubmission = nameof(AnonymousSubmission);

    public static IReadOnlyList<string> All { get; } = [Admin, OrganizationToken, AnonymousSubmission];

    /// <summary>What a caller without a token is told (401).</summary>
    public const string TokenNeeded = "This needs a token: send 'Authorization: Bearer <token>'.";

    /// <summary>Whether <paramref name="actor"/> may call a route under <paramref name="policy"/>.</summary>
    /// <remarks>A token that was sent and refused never gets here as an anonymous actor: it is a 401 on every write.</remarks>
    public static bool Allows(string policy, Actor actor, ModerationOptions moderation) => policy switch
    {
        Admin => actor.IsAdmin,
        OrganizationToken => !actor.IsAnonymous,

        // Anonymous submissions wait, invisible, for the admin's review (CreateEvent files them as pending).
        AnonymousSubmission => !actor.IsAnonymous || moderation.AllowAnonymousSubmissions,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "No such access policy."),
    };

    /// <summary>
    /// The one admin-only decision that depends on a query value rather than the route: the moderation queue
    /// (<c>GET /api/events?status=pending</c>). Same answers as the <see cref="Admin"/> policy.
    /// </summary>
    public static void RequireAdmin(Actor? actor, AdminOnly action)
    {
        if (actor?.IsAdmin == true)
        {
            return;
        }

        throw actor is null || actor.IsAnonymous ? new UnauthorizedException(action.TokenNeeded) : new ForbiddenException(action.Refusal);
    }
}

/// <summary>
/// An action only the admin may take, and what others are told: a token that is not the admin's gets
/// <see cref="Refusal"/> (403), a caller without one <see cref="TokenNeeded"/> (401). The API attaches it to the
/// route with the <see cref="AccessPolicies.Admin"/> policy.
/// </summary>
public sealed record AdminOnly(string Refusal, string TokenNeeded = AccessPolicies.TokenNeeded)
{
    public static readonly AdminOnly CreateOrganization = new("Only the admin may do this: Creating an organization.");
    public static readonly AdminOnly ChangeOrganization = new("Only the admin may do this: Changing an organization.");
    public static readonly AdminOnly IssueToken = new("Only the admin may do this: Issuing an organization's token.");
    public static readonly AdminOnly RevokeToken = new("Only the admin may do this: Revoking a token.");
    public static readonly AdminOnly ReviewSubmission = new("Only the admin reviews submissions.");
    public static readonly AdminOnly DeleteEvent = new("Only the admin deletes events; organizations cancel them instead.");
    public static readonly AdminOnly ListPending = new("Only the admin sees pending submissions.", "Listing pending submissions needs the admin token.");
}

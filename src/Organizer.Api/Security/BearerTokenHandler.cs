using System.Security.Claims;
using System.Text.Encodings.Web;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Organizer.Application.Access;
using Organizer.Application.Common.Security;
using Organizer.Infrastructure;

namespace Organizer.Api.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>: the admin token, or an organization's token. An unknown or revoked token
/// fails authentication, and write routes then answer 401 rather than treat the caller as anonymous. It only says who
/// is calling: what they may do is decided by the access policies (<see cref="AccessAuthorization"/>).
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminCredentials admin,
    ISender sender)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string OrganizationClaim = "organization";
    public const string TokenClaim = "token";
    public const string AdminRole = "admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 300)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        }

        var token = header["Bearer ".Length..].Trim();
        if (admin.Matches(token))
        {
            return Success(Actor.Admin);
        }

        var actor = await sender.Send(new AuthenticateTokenQuery(token), Context.RequestAborted);
        return actor is null
            ? AuthenticateResult.Fail("The token is unknown or has been revoked.")
            : Success(actor);
    }

    /// <summary>The actor behind a request: the admin, an organization's token, or anonymous.</summary>
    public static Actor ActorOf(HttpContext context) => ActorOf(context.User, context.Connection.RemoteIpAddress?.ToString());

    /// <summary>The actor a principal from <see cref="PrincipalOf"/> stands for; any other principal is anonymous.</summary>
    public static Actor ActorOf(ClaimsPrincipal user, string? clientAddress = null)
    {
        if (user.IsInRole(AdminRole))
        {
            return Actor.Admin;
        }

        if (Guid.TryParse(user.FindFirstValue(OrganizationClaim), out var organization) && Guid.TryParse(user.FindFirstValue(TokenClaim), out var token))
        {
            return new Actor(ActorKind.Organization, organization, token);
        }

        return new Actor(ActorKind.Anonymous, ClientAddress: clientAddress);
    }

    /// <summary>The principal an actor authenticates as; an anonymous one is not authenticated.</summary>
    public static ClaimsPrincipal PrincipalOf(Actor actor) => actor.Kind switch
    {
        ActorKind.Admin => Principal(new Claim(ClaimTypes.Role, AdminRole)),
        ActorKind.Organization => Principal(
            new Claim(OrganizationClaim, actor.OrganizationId!.Value.ToString("D")), new Claim(TokenClaim, actor.TokenId!.Value.ToString("D"))),
        _ => new ClaimsPrincipal(new ClaimsIdentity()),
    };

    /// <summary>
    /// A token was sent and refused. Such a caller is not anonymous: it gets a 401 on writes, its own rate-limit budget
    /// and no idempotency scope. The handler either accepts or fails every non-empty header, so this needs no second look-up.
    /// </summary>
    public static bool HasRejectedToken(HttpContext context) =>
        !string.IsNullOrEmpty(context.Request.Headers.Authorization) && context.User.Identity?.IsAuthenticated != true;

    private static ClaimsPrincipal Principal(params Claim[] claims) => new(new ClaimsIdentity(claims, SchemeName));

    private static AuthenticateResult Success(Actor actor) => AuthenticateResult.Success(new AuthenticationTicket(PrincipalOf(actor), SchemeName));
}

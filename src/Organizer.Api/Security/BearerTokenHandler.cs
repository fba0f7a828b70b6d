using System.Security.Claims;
using System.Text.Encodings.Web;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Organizer.Api.Http;
using Organizer.Application.Access;
using Organizer.Application.Common.Security;
using Organizer.Infrastructure;

namespace Organizer.Api.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>: the admin token, or an organization's token. An unknown or revoked token
/// fails authentication, and write routes then answer 401 rather than treat the caller as anonymous.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminCredentials admin,
    ISender sender,
    ProblemResponses problems)
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
            return Success(new Claim(ClaimTypes.Role, AdminRole));
        }

        var actor = await sender.Send(new AuthenticateTokenQuery(token), Context.RequestAborted);
        return actor is null
            ? AuthenticateResult.Fail("The token is unknown or has been revoked.")
            : Success(new Claim(OrganizationClaim, actor.OrganizationId!.Value.ToString("D")), new Claim(TokenClaim, actor.TokenId!.Value.ToString("D")));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await problems.UnauthorizedAsync(Context, failure ?? "This needs a token: send 'Authorization: Bearer <token>'.", invalidToken: failure is not null);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        problems.ForbiddenAsync(Context, "This token may not do that.");

    /// <summary>The actor behind a request: the admin, an organization's token, or anonymous.</summary>
    public static Actor ActorOf(HttpContext context)
    {
        var user = context.User;
        if (user.IsInRole(AdminRole))
        {
            return Actor.Admin;
        }

        if (Guid.TryParse(user.FindFirstValue(OrganizationClaim), out var organization) && Guid.TryParse(user.FindFirstValue(TokenClaim), out var token))
        {
            return new Actor(ActorKind.Organization, organization, token);
        }

        return new Actor(ActorKind.Anonymous, ClientAddress: context.Connection.RemoteIpAddress?.ToString());
    }

    /// <summary>
    /// A token was sent and refused. Such a caller is not anonymous: it gets a 401 on writes, its own rate-limit budget
    /// and no idempotency scope. The handler either accepts or fails every non-empty header, so this needs no second look-up.
    /// </summary>
    public static bool HasRejectedToken(HttpContext context) =>
        !string.IsNullOrEmpty(context.Request.Headers.Authorization) && context.User.Identity?.IsAuthenticated != true;

    private AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}

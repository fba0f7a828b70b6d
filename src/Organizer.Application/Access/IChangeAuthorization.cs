using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Access;

/// <summary>
/// The host's authorization, asked about a change a handler is about to make to something it has loaded. The API
/// answers through ASP.NET Core's <c>IAuthorizationService</c>, the same pipeline as its route policies; the decision
/// itself is <see cref="ChangeRules.Refusal"/>. Application cannot reference ASP.NET Core, hence this port.
/// </summary>
public interface IChangeAuthorization
{
    /// <summary>Returns if <paramref name="actor"/> may make the change; otherwise throws a <see cref="ForbiddenException"/> with the rule's reason.</summary>
    Task EnsureAllowedAsync(Change change, Actor actor);
}

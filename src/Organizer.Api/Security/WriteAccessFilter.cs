using Microsoft.AspNetCore.Authentication;
using Organizer.Api.Http;

namespace Organizer.Api.Security;

/// <summary>
/// On write routes a token that was sent but not accepted is a 401, never a silent fall-back to anonymous
/// (which, with anonymous submissions on, would file the request as a pending submission).
/// </summary>
public sealed class WriteAccessFilter(ProblemResponses problems) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = await http.AuthenticateAsync(BearerTokenHandler.SchemeName);
        if (result.Failure is { } failure)
        {
            await problems.UnauthorizedAsync(http, failure.Message, invalidToken: true);
            return Results.Empty;
        }

        return await next(context);
    }
}

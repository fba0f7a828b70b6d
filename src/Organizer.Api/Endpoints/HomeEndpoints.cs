using Mediator;
using Organizer.Api.Http;
using Organizer.Application.Feeds;
using RazorSlices;

namespace Organizer.Api.Endpoints;

/// <summary>
/// The home page: a plain, server-rendered page for people, not programs. It says what this server is and offers
/// every feed three ways: webcal:// to subscribe in one click, https:// to copy, and Google Calendar's add-by-URL link;
/// each organization's Atom feed too. The markup is the Razor Slice <c>Slices/Home.cshtml</c>.
/// </summary>
public static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHomeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Home).WithName(nameof(Home)).ExcludeFromDescription();
        return app;
    }

    public static async Task<RazorSlice<SubscribePageDto>> Home(HttpContext context, ISender sender, CancellationToken cancellationToken)
    {
        var page = await sender.Send(new GetSubscribePageQuery(), cancellationToken);
        return Slices.Home.Create(page);
    }
}

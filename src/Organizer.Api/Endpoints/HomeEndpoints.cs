using System.Text;
using System.Text.Encodings.Web;
using Mediator;
using Organizer.Api.Infrastructure;
using Organizer.Application.Feeds;
using Organizer.Application.Common.Links;

namespace Organizer.Api.Endpoints;

/// <summary>
/// The home page: a plain, server-rendered page for people, not programs. It says what this server is and offers
/// every feed three ways: webcal:// to subscribe in one click, https:// to copy, and Google Calendar's add-by-URL link.
/// Every value is HTML-encoded (URLs in attributes too); the page has no scripts.
/// </summary>
public static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHomeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Home).WithName(nameof(Home)).ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> Home(HttpContext context, ISender sender, CancellationToken cancellationToken)
    {
        var page = await sender.Send(new GetSubscribePageQuery(PublicUrl.BaseOf(context)), cancellationToken);
        return TypedResults.Content(Render(page), "text/html; charset=utf-8");
    }

    internal static string Render(SubscribePageDto page)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Organizer — calendars of grassroots actions</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;line-height:1.45;color:#1a1a1a}
            h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
            ul{padding-left:0;list-style:none} li{margin:.6rem 0;padding:.5rem;border:1px solid #e5e5e5;border-radius:6px}
            a{color:#0b57d0} .links a{margin-right:.8rem;white-space:nowrap} code{font-size:.8rem;word-break:break-all;color:#444}
            .when{color:#555;font-size:.9rem}
            </style>
            </head>
            <body>
            <h1>Organizer</h1>
            <p>A record of grassroots actions — rallies, pickets, marches, demonstrations, blockades, assemblies — and the
            statements groups issue, with who organized what, where, and the sources it rests on. Subscribe to a calendar
            below from Google, Apple, Outlook or Thunderbird; it updates itself. The JSON API is described at
            <a href="/docs">/docs</a>.</p>
            """);

        html.Append("<h2>Everything</h2><ul>");
        Subscribable(html, "All public actions", null, page.AllFeed);
        html.Append("</ul>");

        html.Append("<h2>Organizations</h2><ul>");
        foreach (var o in page.Organizations)
        {
            Subscribable(html, o.Name, $"{o.EventCount} action{(o.EventCount == 1 ? "" : "s")}", o.Feed);
        }

        html.Append("</ul><h2>Cities</h2><ul>");
        foreach (var c in page.Cities)
        {
            Subscribable(html, c.Name, $"{c.EventCount} action{(c.EventCount == 1 ? "" : "s")}", c.Feed);
        }

        html.Append("</ul>");
        Events(html, "Upcoming", page.Upcoming, "Nothing announced yet.");
        Events(html, "Recent", page.Recent, "Nothing recorded yet.");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Subscribable(StringBuilder html, string name, string? note, FeedLinksDto feed)
    {
        var google = "https://calendar.google.com/calendar/r?cid=" + UrlEncoder.Default.Encode(feed.Webcal);
        html.Append("<li><strong>").Append(E(name)).Append("</strong>");
        if (note is not null)
        {
            html.Append(" <span class=\"when\">").Append(E(note)).Append("</span>");
        }

        html.Append("<div class=\"links\"><a href=\"").Append(E(feed.Webcal)).Append("\">Subscribe</a>")
            .Append("<a href=\"").Append(E(google)).Append("\">Add to Google Calendar</a>")
            .Append("<a href=\"").Append(E(feed.Https)).Append("\">Download .ics</a></div>")
            .Append("<code>").Append(E(feed.Https)).Append("</code></li>");
    }

    private static void Events(StringBuilder html, string heading, IReadOnlyList<PageEventDto> events, string none)
    {
        html.Append("<h2>").Append(E(heading)).Append("</h2>");
        if (events.Count == 0)
        {
            html.Append("<p>").Append(E(none)).Append("</p>");
            return;
        }

        html.Append("<ul>");
        foreach (var e in events)
        {
            var when = e.End is { } end && end != e.Start ? $"{e.Start} – {end}" : e.Start;
            html.Append("<li><a href=\"/api/events/").Append(E(e.Slug)).Append("\">").Append(E(e.Title)).Append("</a>")
                .Append("<div class=\"when\">").Append(E(when)).Append(e.City is null ? "" : " · " + E(e.City)).Append("</div>")
                .Append("<div class=\"links\"><a href=\"").Append(E(e.Calendar.Https)).Append("\">Add to calendar</a></div></li>");
        }

        html.Append("</ul>");
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}

using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>
/// The body of POST and PUT /api/events (and, merged with a patch, of PATCH): the read API's event, with wall-clock
/// times and the zone they are in. Values stay text until validated so that every mistake is reported by field.
/// </summary>
public sealed record EventInput
{
    public string? Title { get; init; }
    public string? Kind { get; init; }
    public string? Description { get; init; }
    public bool? AllDay { get; init; }

    /// <summary>Local date-time (2026-12-05T14:00:00) for timed events; a date (2026-12-05) for all-day events.</summary>
    public string? Start { get; init; }

    /// <summary>As <see cref="Start"/>; for all-day events, the last day (inclusive).</summary>
    public string? End { get; init; }

    public string? TimeZone { get; init; }

    /// <summary>An existing place's slug.</summary>
    public string? Place { get; init; }

    public PlaceInput? NewPlace { get; init; }
    public string? OnlineUrl { get; init; }

    /// <summary>The admin names the host; an organization token is always the host itself.</summary>
    public string? Host { get; init; }

    public List<ParticipationInput>? Organizations { get; init; }
    public List<SpeakerInput>? Speakers { get; init; }
    public AttendanceInput? Attendance { get; init; }
    public List<string>? Tags { get; init; }
    public List<string>? Demands { get; init; }
    public string? Visibility { get; init; }
    public string? Parent { get; init; }

    /// <summary>Where the event is reported: a document (a URL, or a source document's name) and the quote from it.</summary>
    public List<SourceInput>? Sources { get; init; }
}

public sealed record SourceInput(string? Document, string? Quote);

public sealed record ParticipationInput(string? Slug, string? Role);

public sealed record SpeakerInput(string? Name, string? Affiliation, string? Role);

public sealed record AttendanceInput(int? Estimate, string? Reported);

public sealed record PlaceInput
{
    public string? Name { get; init; }
    public string? Address { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? CountryCode { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? TimeZone { get; init; }
}

/// <summary>Rules for an event body, shared by create and update.</summary>
public sealed class EventInputValidator : AbstractValidator<EventInput>
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 20_000;

    public EventInputValidator(IOrganizerDbContext db)
    {
        RuleFor(e => e.Title).NotEmpty().MaximumLength(MaxTitle).IsSafeText();
        RuleFor(e => e.Description).MaximumLength(MaxDescription).IsSafeMultilineText();
        RuleFor(e => e.Kind).NotEmpty().Must(k => KebabEnum.TryParse<EventKind>(k, out _))
            .WithMessage($"'kind' must be one of: {KebabEnum.Allowed<EventKind>()}.");
        RuleFor(e => e.Visibility).Must(v => KebabEnum.TryParse<Visibility>(v, out _)).When(e => e.Visibility is not null)
            .WithMessage($"'visibility' must be one of: {KebabEnum.Allowed<Visibility>()}.");
        RuleFor(e => e.Start).NotEmpty();
        RuleFor(e => e.Start).Must(s => Times.TryDate(s, out _)).When(e => e.AllDay == true && e.Start is not null)
            .WithMessage("An all-day event's 'start' is a date (YYYY-MM-DD), not a time.");
        RuleFor(e => e.End).Must(s => Times.TryDate(s, out _)).When(e => e.AllDay == true && e.End is not null)
            .WithMessage("An all-day event's 'end' is a date (YYYY-MM-DD), not a time.");
        RuleFor(e => e.Start).Must(s => Times.TryLocal(s, out _)).When(e => e.AllDay != true && e.Start is not null)
            .WithMessage("'start' must be a local date-time such as 2026-12-05T14:00:00 (without an offset: the zone is 'timeZone'); for an all-day event set \"allDay\": true.");
        RuleFor(e => e.End).Must(s => Times.TryLocal(s, out _)).When(e => e.AllDay != true && e.End is not null)
            .WithMessage("'end' must be a local date-time such as 2026-12-05T16:00:00.");
        RuleFor(e => e.Start).Must(s => Times.IsWithinBounds(s)).WithMessage(DateBounds.Problem("start"));
        RuleFor(e => e.End).Must(s => Times.IsWithinBounds(s)).WithMessage(DateBounds.Problem("end"));
        RuleFor(e => e).Must(e => Times.Span(e) is not { } span || span >= TimeSpan.Zero)
            .OverridePropertyName("end").WithMessage("'end' must not be before 'start'.");
        RuleFor(e => e).Must(e => e.AllDay == true || Times.Span(e) is not { } span || span <= EventSchedule.MaxTimedDuration)
            .OverridePropertyName("end").WithMessage($"A timed event lasts at most {EventSchedule.MaxTimedDuration.TotalDays:0} days; record a longer one with \"allDay\": true and dates.");
        RuleFor(e => e.TimeZone).Must(Times.IsIanaZone).When(e => e.TimeZone is not null)
            .WithMessage(e => Times.ZoneProblem(e.TimeZone)!);
        RuleFor(e => e)
            .Must(e => e.TimeZone is not null || e.Place is not null || e.NewPlace?.TimeZone is not null)
            .OverridePropertyName("timeZone").WithMessage("'timeZone' is required (an IANA id such as America/Toronto) unless the place has one.");

        RuleFor(e => e).Must(e => (e.Place is null ? 0 : 1) + (e.NewPlace is null ? 0 : 1) <= 1)
            .OverridePropertyName("place").WithMessage("Give either 'place' (an existing place's slug) or 'newPlace', not both.");
        RuleFor(e => e.Place).Must(Slugs.IsWellFormed).When(e => e.Place is not null).WithMessage("'place' must be a place's slug.");
        RuleFor(e => e.NewPlace!).SetValidator(new PlaceInputValidator()).When(e => e.NewPlace is not null);
        RuleFor(e => e.OnlineUrl).Must(Text.IsHttpUrl).When(e => e.OnlineUrl is not null)
            .WithMessage("'onlineUrl' must be an http or https URL.").IsSafeText();
        RuleFor(e => e).Must(e => e.Kind != "online-action" || e.OnlineUrl is not null)
            .OverridePropertyName("onlineUrl").WithMessage("An online action needs an 'onlineUrl' (http or https).");

        RuleFor(e => e.Host).Must(Slugs.IsWellFormed).When(e => e.Host is not null).WithMessage("'host' must be an organization's slug.");
        RuleFor(e => e.Organizations).Must(list => list!.OfType<ParticipationInput>().Select(o => o.Slug).Distinct().Count() == list!.OfType<ParticipationInput>().Count())
            .When(e => e.Organizations is not null).WithMessage("Each organization may appear only once in 'organizations'.");
        RuleForEach(e => e.Organizations).IsNotNullElement();
        RuleForEach(e => e.Organizations).ChildRules(o =>
        {
            o.RuleFor(x => x.Slug).NotEmpty().Must(Slugs.IsWellFormed).WithMessage("'slug' must be an organization's slug.");
            o.RuleFor(x => x.Role).NotEmpty().Must(r => KebabEnum.TryParse<ParticipationRole>(r, out var role) && role != ParticipationRole.Host)
                .WithMessage("'role' must be one of: co-organizer, participant, endorser (the host is given by the token or 'host').");
        });
        RuleFor(e => e).CustomAsync(async (e, context, ct) =>
        {
            var slugs = (e.Organizations ?? []).Select(o => o?.Slug).Append(e.Host).OfType<string>().Where(Slugs.IsWellFormed).Distinct().ToList();
            var known = await db.Organizations.Where(o => slugs.Contains(o.Slug) || o.Aliases.Any(a => slugs.Contains(a.Slug)))
                .Select(o => new { o.Slug, Aliases = o.Aliases.Select(a => a.Slug).ToList() }).ToListAsync(ct);
            foreach (var missing in slugs.Where(s => !known.Any(k => k.Slug == s || k.Aliases.Contains(s))))
            {
                context.AddFailure("organizations", $"No organization '{missing}' exists.");
            }
        });
        RuleForEach(e => e.Speakers).IsNotNullElement();
        RuleForEach(e => e.Speakers).ChildRules(s =>
        {
            s.RuleFor(x => x.Name).NotEmpty().MaximumLength(200).IsSafeText();
            s.RuleFor(x => x.Affiliation).MaximumLength(300).IsSafeText();
            s.RuleFor(x => x.Role).MaximumLength(200).IsSafeText();
        });
        RuleFor(e => e.Attendance!.Reported).NotEmpty().MaximumLength(200).IsSafeText()
            .When(e => e.Attendance is not null).OverridePropertyName("attendance.reported");
        RuleFor(e => e.Attendance!.Estimate).GreaterThanOrEqualTo(0).When(e => e.Attendance is not null).OverridePropertyName("attendance.estimate");
        RuleFor(e => e.Tags).Must(t => t!.Count <= 20).When(e => e.Tags is not null).WithMessage("At most 20 tags.");
        RuleForEach(e => e.Tags).IsNotNullElement();
        RuleForEach(e => e.Tags).NotEmpty().MaximumLength(50).Must(Slugs.IsWellFormed)
            .WithMessage("Tags are lower-case words joined by dashes, such as 'anti-war'.");
        RuleFor(e => e.Demands).Must(d => d!.Count <= 50).When(e => e.Demands is not null).WithMessage("At most 50 demands.");
        RuleForEach(e => e.Demands).IsNotNullElement();
        RuleForEach(e => e.Demands).NotEmpty().MaximumLength(1000).IsSafeMultilineText();
        RuleFor(e => e.Sources).Must(s => s!.Count <= 50).When(e => e.Sources is not null).WithMessage("At most 50 sources.");
        RuleForEach(e => e.Sources).IsNotNullElement();
        RuleForEach(e => e.Sources).ChildRules(s =>
        {
            s.RuleFor(x => x.Document).NotEmpty().MaximumLength(500).IsSafeText();
            s.RuleFor(x => x.Quote).NotEmpty().MaximumLength(4000).IsSafeMultilineText();
        });
        RuleFor(e => e.Parent).Must(Slugs.IsWellFormed).When(e => e.Parent is not null).WithMessage("'parent' must be an event's slug.");
    }
}

public sealed class PlaceInputValidator : AbstractValidator<PlaceInput>
{
    public PlaceInputValidator()
    {
        RuleFor(p => p.Name).NotEmpty().MaximumLength(300).IsSafeText();
        RuleFor(p => p.Address).MaximumLength(500).IsSafeText();
        RuleFor(p => p.City).NotEmpty().WithMessage("A place needs a 'city'.").MaximumLength(200).IsSafeText();
        RuleFor(p => p.Region).MaximumLength(100).IsSafeText();
        RuleFor(p => p.CountryCode).NotEmpty().Matches("^[A-Za-z]{2}$").WithMessage("A place needs a 'countryCode' (ISO 3166-1 alpha-2, such as CA).");
        RuleFor(p => p.Latitude).InclusiveBetween(-90, 90);
        RuleFor(p => p.Longitude).InclusiveBetween(-180, 180);
        RuleFor(p => p).Must(p => (p.Latitude is null) == (p.Longitude is null)).OverridePropertyName("latitude")
            .WithMessage("Give both 'latitude' and 'longitude', or neither.");
        RuleFor(p => p.TimeZone).Must(Times.IsIanaZone).When(p => p.TimeZone is not null).WithMessage(p => Times.ZoneProblem(p.TimeZone)!);
    }
}

/// <summary>Parsing of the wall-clock values clients send.</summary>
public static partial class Times
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryLocal(string? text, out DateTime local) =>
        DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    /// <summary>End minus start in wall-clock terms, when both parse; null otherwise (their own rules report that).</summary>
    public static TimeSpan? Span(EventInput e)
    {
        if (e.End is null)
        {
            return null;
        }

        if (e.AllDay == true)
        {
            return TryDate(e.Start, out var first) && TryDate(e.End, out var last) ? TimeSpan.FromDays(last.DayNumber - first.DayNumber) : null;
        }

        return TryLocal(e.Start, out var start) && TryLocal(e.End, out var end) ? end - start : null;
    }

    /// <summary>Whether a date or local date-time lies in <see cref="DateBounds"/>; text that does not parse is left to its own rule.</summary>
    public static bool IsWithinBounds(string? text) =>
        TryDate(text, out var date) ? DateBounds.Contains(date) : !TryLocal(text, out var local) || DateBounds.Contains(local);

    public static bool IsIanaZone(string? zone) => ZoneProblem(zone) is null;

    /// <summary>
    /// Why a zone id is refused, or null. Only the tz database's location ids (Area/Location, or UTC) are accepted, spelled
    /// exactly: this server's zoneinfo also answers to 'localtime', 'Factory', 'posixrules' and 'posix/…' or 'right/…'
    /// copies, which mean nothing (or something else) to calendar apps, and to legacy aliases such as US/Eastern.
    /// </summary>
    public static string? ZoneProblem(string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone) || !LocationId().IsMatch(zone))
        {
            // Only short, clean text is worth a suggestion; anything else gets the plain rule.
            var plausible = zone is not null && zone.Length <= 100 && SafeText.IsSingleLine(zone);
            if (plausible && TimeZoneInfo.TryConvertWindowsIdToIanaId(zone!, out var fromWindows))
            {
                return $"'{zone}' is a Windows time-zone id; use the IANA id '{fromWindows}'.";
            }

            if (plausible && TimeZoneInfo.TryConvertIanaIdToWindowsId(zone!, out var windows) && TimeZoneInfo.TryConvertWindowsIdToIanaId(windows, out var location))
            {
                return $"'{zone}' is a legacy alias; use the IANA location id '{location}' (or another Area/Location id).";
            }

            return "'timeZone' must be an IANA time-zone id of the form Area/Location, such as America/Toronto (or UTC).";
        }

        try
        {
            var found = EventSchedule.FindZone(zone);
            return found.Id == zone ? null : $"'{zone}' is spelled '{found.Id}' in the IANA database.";
        }
        catch (Domain.Common.DomainRuleException e)
        {
            return e.Message;
        }
    }

    [GeneratedRegex("^(UTC|(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)(/[A-Za-z0-9_+-]{1,30}){1,2})$")]
    private static partial Regex LocationId();
}

/// <summary>Checks on free text from clients; the characters text may hold are <see cref="SafeText"/>'s.</summary>
public static class Text
{
    public static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && text!.Length <= 2000;
}

/// <summary>A place named by slug in an event body: it must be one the caller may see, or it answers as missing.</summary>
internal static class PlaceReference
{
    public static async Task<bool> IsVisibleAsync(IOrganizerDbContext db, string? slug, Common.Security.Actor actor, CancellationToken cancellationToken) =>
        slug is null || !Slugs.IsWellFormed(slug) || await Access.EventVisibility.PlacesVisibleTo(db, actor).AnyAsync(p => p.Slug == slug, cancellationToken);

    public static string Missing(string? slug) => $"No place '{slug}' exists; create it with 'newPlace' or POST /api/places.";
}

using FluentValidation;
using Organizer.Application.Common;
using Organizer.Application.Common.Validation;
using Organizer.Application.Events.Series;
using Organizer.Application.Places;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>
/// Rules for an event body, shared by create, replace and patch: everything that can be said of the text itself.
/// What it names (organizations, a place) is looked up once, by <see cref="EventReferences"/>.
/// </summary>
public sealed class EventInputValidator : AbstractValidator<EventInput>
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 20_000;

    public EventInputValidator()
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
        RuleFor(e => e).Must(e => Span(e) is not { } span || span >= TimeSpan.Zero)
            .OverridePropertyName("end").WithMessage("'end' must not be before 'start'.");
        RuleFor(e => e).Must(e => e.AllDay == true || Span(e) is not { } span || span <= EventSchedule.MaxTimedDuration)
            .OverridePropertyName("end").WithMessage($"A timed event lasts at most {EventSchedule.MaxTimedDuration.TotalDays:0} days; record a longer one with \"allDay\": true and dates.");
        RuleFor(e => e.TimeZone).Must(Times.IsIanaZone).When(e => e.TimeZone is not null)
            .WithMessage(e => Times.ZoneProblem(e.TimeZone)!);
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
        RuleFor(e => e.Recurrence!).SetValidator(new RecurrenceInputValidator()).When(e => e.Recurrence is not null);
        RuleFor(e => e).Must(e => e.Recurrence is null || e.Parent is null).OverridePropertyName("recurrence")
            .WithMessage("A session of an assembly cannot repeat; post the repeating action as an event of its own.");
    }

    /// <summary>End minus start in wall-clock terms, when both parse; null otherwise (their own rules report that).</summary>
    private static TimeSpan? Span(EventInput e) =>
        e.End is not null && EventDraft.Moment(e.Start, e.AllDay == true) is { } start && EventDraft.Moment(e.End, e.AllDay == true) is { } end
            ? end - start
            : null;
}

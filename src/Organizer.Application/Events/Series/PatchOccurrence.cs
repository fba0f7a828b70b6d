using System.Globalization;
using System.Text.Json.Nodes;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Behaviours;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Events;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Events.Series;

/// <summary>
/// What one occurrence has of its own, as a write body: each field left out (null) is the series' value. A JSON Merge
/// Patch is applied to it, so a null in a patch puts that field back to the series'.
/// </summary>
public sealed record OccurrenceInput
{
    public string? Title { get; init; }

    /// <summary>Its own wall-clock start in the series' zone: a local date-time, or a date for an all-day series.</summary>
    public string? Start { get; init; }

    /// <summary>Its own wall-clock end (for an all-day series, the last day, inclusive).</summary>
    public string? End { get; init; }

    /// <summary>An existing place's slug.</summary>
    public string? Place { get; init; }

    /// <summary>scheduled, cancelled or postponed.</summary>
    public string? Status { get; init; }

    public string? StatusReason { get; init; }
}

/// <summary>A patched occurrence body, with what its rules depend on: whether the series is all-day.</summary>
public sealed record PatchedOccurrence(OccurrenceInput Input, bool AllDay);

public sealed class PatchedOccurrenceValidator : AbstractValidator<PatchedOccurrence>
{
    private static readonly EventStatus[] Settable = [EventStatus.Scheduled, EventStatus.Cancelled, EventStatus.Postponed];

    public PatchedOccurrenceValidator()
    {
        RuleFor(p => p.Input.Title).Must(t => !string.IsNullOrWhiteSpace(t)).When(p => p.Input.Title is not null)
            .WithMessage("'title' must not be empty; send null to use the series' title.");
        RuleFor(p => p.Input.Title).MaximumLength(EventInputValidator.MaxTitle).IsSafeText();
        RuleFor(p => p.Input.Start).Must(s => Times.TryDate(s, out _)).When(p => p.AllDay && p.Input.Start is not null)
            .WithMessage("An all-day series' 'start' is a date (YYYY-MM-DD), not a time.");
        RuleFor(p => p.Input.End).Must(s => Times.TryDate(s, out _)).When(p => p.AllDay && p.Input.End is not null)
            .WithMessage("An all-day series' 'end' is a date (YYYY-MM-DD), not a time.");
        RuleFor(p => p.Input.Start).Must(s => Times.TryLocal(s, out _)).When(p => !p.AllDay && p.Input.Start is not null)
            .WithMessage("'start' must be a local date-time such as 2026-12-05T14:00:00, in the series' zone (without an offset).");
        RuleFor(p => p.Input.End).Must(s => Times.TryLocal(s, out _)).When(p => !p.AllDay && p.Input.End is not null)
            .WithMessage("'end' must be a local date-time such as 2026-12-05T16:00:00.");
        RuleFor(p => p.Input.Start).Must(Times.IsWithinBounds).WithMessage(DateBounds.Problem("start"));
        RuleFor(p => p.Input.End).Must(Times.IsWithinBounds).WithMessage(DateBounds.Problem("end"));
        RuleFor(p => p).Must(p => Span(p) is not { } span || span >= TimeSpan.Zero)
            .OverridePropertyName("end").WithMessage("'end' must not be before 'start'.");
        RuleFor(p => p).Must(p => p.AllDay || Span(p) is not { } span || span <= EventSchedule.MaxTimedDuration)
            .OverridePropertyName("end").WithMessage($"A timed event lasts at most {EventSchedule.MaxTimedDuration.TotalDays:0} days; record a longer one as all-day dates.");
        RuleFor(p => p.Input.Place).Must(Slugs.IsWellFormed).When(p => p.Input.Place is not null).WithMessage("'place' must be a place's slug.");
        RuleFor(p => p.Input.Status).Must(s => KebabEnum.TryParse<EventStatus>(s, out var status) && Settable.Contains(status)).When(p => p.Input.Status is not null)
            .WithMessage("'status' must be one of: scheduled, cancelled, postponed.");
        RuleFor(p => p.Input.StatusReason).MaximumLength(2000).IsSafeMultilineText();
        RuleFor(p => p.Input.StatusReason).Null().When(p => p.Input.Status is null)
            .WithMessage("'statusReason' goes with the occurrence's own 'status'; give one, or send null for both to use the series' status.");

        // As for a whole event (ChangeEventStatus): subscribers see the reason a date is called off.
        RuleFor(p => p.Input.StatusReason).NotEmpty().When(p => KebabEnum.TryParse<EventStatus>(p.Input.Status, out var status) && status == EventStatus.Cancelled)
            .WithMessage("Say why this date is cancelled in 'statusReason': subscribers see it.");
    }

    /// <summary>End minus start in wall-clock terms, when both parse; null otherwise (their own rules report that).</summary>
    private static TimeSpan? Span(PatchedOccurrence p) =>
        p.Input.End is not null && EventDraft.Moment(p.Input.Start, p.AllDay) is { } start && EventDraft.Moment(p.Input.End, p.AllDay) is { } end
            ? end - start
            : null;
}

/// <summary>An occurrence as a write answers it, with the series' new version (its ETag).</summary>
public sealed record WrittenOccurrence(SeriesOccurrenceDto Occurrence, uint Version);

/// <summary>
/// Changes one occurrence of a series: its time, place, title or status (a date cancelled or postponed). A JSON Merge
/// Patch on what the occurrence has of its own; the change is stored as the occurrence's override, and raises that
/// override's SEQUENCE (never below the series': a feed's RECURRENCE-ID VEVENT must not fall behind its master).
/// </summary>
public sealed record PatchOccurrenceCommand(string Slug, string Occurrence, JsonObject Patch, uint? ExpectedVersion, Actor Actor) : ICommand<WrittenOccurrence>;

public sealed class PatchOccurrenceCommandHandler(
    IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, IEnumerable<IValidator<PatchedOccurrence>> validators)
    : ICommandHandler<PatchOccurrenceCommand, WrittenOccurrence>
{
    public async ValueTask<WrittenOccurrence> Handle(PatchOccurrenceCommand command, CancellationToken cancellationToken)
    {
        var series = await EventAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, expectedVersion: null, cancellationToken);
        var date = Occurrences.DateOf(series, command.Occurrence);
        var stored = series.Overrides.FirstOrDefault(o => o.Occurrence == date);
        var patched = MergePatch.ApplyTo(await StoredAsync(series, stored, cancellationToken), command.Patch);

        // A status comes with its own reason, as a whole event's does: a date called off again for another reason,
        // or back on, does not keep the last one.
        if (command.Patch.ContainsKey("status") && !command.Patch.ContainsKey("statusReason"))
        {
            patched = patched with { StatusReason = null };
        }

        // The body exists only now, so the pipeline could not check it: its rules run here, before the version check,
        // so that a bad patch gets its 400 whatever If-Match says.
        await Validators.ThrowIfInvalidAsync(validators, new PatchedOccurrence(patched, series.Schedule.AllDay), cancellationToken);
        EventAccess.RequireVersion(series, command.ExpectedVersion);

        var wanted = await OverrideAsync(series, date, patched, command.Actor, cancellationToken);
        var now = clock.GetUtcNow();
        if (stored is null && wanted is not null)
        {
            wanted.Sequence = series.Sequence + 1;
            wanted.CreatedAt = now;
            wanted.UpdatedAt = now;
            series.Overrides.Add(wanted);
        }
        else if (stored is not null && wanted is null)
        {
            // Back to the series in every field: the occurrence is the master's again, and the master's SEQUENCE must
            // not fall below the one its subscribers last saw for this date.
            series.Overrides.Remove(stored);
            series.Sequence = Math.Max(series.Sequence + 1, stored.Sequence);
        }
        else if (stored is not null && wanted is not null && !Same(stored, wanted))
        {
            stored.Title = wanted.Title;
            stored.Start = wanted.Start;
            stored.End = wanted.End;
            stored.PlaceId = wanted.PlaceId;
            stored.Status = wanted.Status;
            stored.StatusReason = wanted.StatusReason;
            stored.Sequence = Math.Max(stored.Sequence, series.Sequence) + 1;
            stored.UpdatedAt = now;
        }

        // A date moved past the series' last date still has to be found by queries over dates.
        series.SeriesEndDate = series.Recurrence!.IsBounded ? SeriesExpansion.LastDate(series) : null;

        // The override is the series' own data: its version (If-Match) and its last change (Last-Modified) move too.
        series.UpdatedAt = now;
        db.AuditEntries.Add(command.Actor.Audit("change-occurrence", "event", series.Id, $"{series.Slug}/{Occurrences.Key(date)}", now));
        await db.SaveChangesAsync(cancellationToken);
        return new WrittenOccurrence(await Occurrences.ShowAsync(db, series, date, cancellationToken), series.Version);
    }

    /// <summary>The occurrence's own values as a write body: what the merge patch is applied to.</summary>
    private async Task<OccurrenceInput> StoredAsync(Event series, OccurrenceOverride? o, CancellationToken cancellationToken)
    {
        if (o is null)
        {
            return new OccurrenceInput();
        }

        var format = series.Schedule.AllDay ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss";
        return new OccurrenceInput
        {
            Title = o.Title,
            Start = o.Start?.ToString(format, CultureInfo.InvariantCulture),
            End = o.End?.ToString(format, CultureInfo.InvariantCulture),
            Place = o.PlaceId is { } placeId ? await db.Places.AsNoTracking().Where(p => p.Id == placeId).Select(p => p.Slug).FirstAsync(cancellationToken) : null,
            Status = o.Status is { } status ? KebabEnum.ToKebab(status) : null,
            StatusReason = o.StatusReason,
        };
    }

    /// <summary>The override a validated body asks for; null when it asks for nothing of its own.</summary>
    private async Task<OccurrenceOverride?> OverrideAsync(Event series, DateOnly date, OccurrenceInput input, Actor actor, CancellationToken cancellationToken)
    {
        Guid? placeId = null;
        if (input.Place is { } slug)
        {
            // A place the caller may not see answers as one that does not exist.
            placeId = await EventVisibility.PlacesVisibleTo(db, actor).Where(p => p.Slug == slug.ToLowerInvariant()).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new ValidationException("place", $"No place '{slug}' exists; record it with POST /api/places.");
        }

        var allDay = series.Schedule.AllDay;
        var start = EventDraft.Moment(input.Start, allDay);
        var end = EventDraft.Moment(input.End, allDay);

        // An end alone keeps the start the rule gives the date: "this week it runs until 20:00".
        if (end is not null && start is null)
        {
            start = SeriesExpansion.On(series, date)!.RuleStart.ToDateTimeUnspecified();
        }

        // Queries over dates find a series from its first day on: a date cannot move before the series begins.
        if (start is { } early && DateOnly.FromDateTime(early) < series.Schedule.StartDate)
        {
            throw new ValidationException("start", $"A date of the series cannot move before its first occurrence ({Occurrences.Key(series.Schedule.StartDate)}).");
        }

        if (start is { } s)
        {
            // The same rules as an event's own time: a time the clocks skip is refused, not moved, when someone types it.
            _ = allDay
                ? EventSchedule.AllDayRange(DateOnly.FromDateTime(s), DateOnly.FromDateTime(end ?? s), series.Schedule.TimeZone)
                : EventSchedule.Timed(s, end, series.Schedule.TimeZone);
        }

        var status = input.Status is { } text && KebabEnum.TryParse<EventStatus>(text, out var parsed) ? parsed : (EventStatus?)null;
        var wanted = new OccurrenceOverride
        {
            EventId = series.Id,
            Occurrence = date,
            Title = input.Title?.Trim(),
            Start = start,
            End = end,
            PlaceId = placeId,
            Status = status,
            StatusReason = string.IsNullOrWhiteSpace(input.StatusReason) ? null : input.StatusReason.Trim(),
        };
        return wanted is { Title: null, Start: null, End: null, PlaceId: null, Status: null } ? null : wanted;
    }

    private static bool Same(OccurrenceOverride a, OccurrenceOverride b) =>
        a.Title == b.Title && a.Start == b.Start && a.End == b.End && a.PlaceId == b.PlaceId && a.Status == b.Status && a.StatusReason == b.StatusReason;
}

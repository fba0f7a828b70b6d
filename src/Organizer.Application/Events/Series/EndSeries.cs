using FluentValidation;
using Mediator;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Events.Series;

/// <param name="From">The first date the series no longer has (YYYY-MM-DD): "this and following".</param>
public sealed record EndSeriesInput(string? From);

/// <summary>
/// Ends a series before a date ("this and following"): its last occurrence becomes the last the rule gives before it.
/// The rule's end becomes that date's eve (a counted series is given an end date instead), and what was removed or
/// changed from the date on goes with it. The series' RRULE changes, so its SEQUENCE rises (see FeedChangeInterceptor).
/// </summary>
public sealed record EndSeriesCommand(string Slug, EndSeriesInput Input, uint? ExpectedVersion, Actor Actor) : ICommand<WrittenEvent>;

public sealed class EndSeriesCommandValidator : AbstractValidator<EndSeriesCommand>
{
    public EndSeriesCommandValidator() =>
        RuleFor(c => c.Input.From).Must(f => Times.TryBoundedDate(f, out _))
            .WithMessage("'from' must be a date (YYYY-MM-DD): the first date the series no longer has.");
}

public sealed class EndSeriesCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links)
    : ICommandHandler<EndSeriesCommand, WrittenEvent>
{
    public async ValueTask<WrittenEvent> Handle(EndSeriesCommand command, CancellationToken cancellationToken)
    {
        var series = await EventAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, expectedVersion: null, cancellationToken);
        if (series.Recurrence is not { } rule)
        {
            throw new NotFoundException("series", command.Slug);
        }

        var from = Times.TryDate(command.Input.From, out var date) ? date : throw new InvalidOperationException("'from' reached the handler unvalidated.");
        if (from <= series.Schedule.StartDate)
        {
            throw new ValidationException("from", $"The series starts on {Occurrences.Key(series.Schedule.StartDate)}: ending it from {Occurrences.Key(from)} would leave nothing of it. Delete the event instead (DELETE /api/events/{series.Slug}).");
        }

        EventAccess.RequireVersion(series, command.ExpectedVersion);

        // UNTIL is the last date an occurrence may start on. A series that already ends before the date keeps its rule:
        // ending it again changes nothing, and a retry is answered as the first request was.
        var eve = from.AddDays(-1);
        var ended = rule with { Count = null, Until = new NodaTime.LocalDate(eve.Year, eve.Month, eve.Day) };
        var endDate = SeriesExpansion.EndDate(ended, series.Schedule);
        if (series.SeriesEndDate is not { } current || current > endDate)
        {
            series.Recurrence = ended;
            series.SeriesEndDate = endDate;
        }

        series.ExceptDates = [.. series.ExceptDates.Where(d => d < from)];
        series.Overrides.RemoveAll(o => o.Occurrence >= from);

        // A date before the end that was moved past it still holds the series' dates out that far.
        series.SeriesEndDate = SeriesExpansion.LastDate(series);
        var now = clock.GetUtcNow();
        series.UpdatedAt = now;
        db.AuditEntries.Add(command.Actor.Audit("end-series", "event", series.Id, $"{series.Slug}/{Occurrences.Key(from)}", now));
        await db.SaveChangesAsync(cancellationToken);
        return await new EventDetails(db, links, clock).WrittenAsync(series, command.Actor, cancellationToken);
    }
}

using Mediator;
using Organizer.Application.Access;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Events.Series;

/// <summary>
/// Takes one date out of a series (an EXDATE), with whatever that date had of its own. The series' own VEVENT changes,
/// so its SEQUENCE rises (see FeedChangeInterceptor). Answers the series' new version.
/// </summary>
public sealed record RemoveOccurrenceCommand(string Slug, string Occurrence, uint? ExpectedVersion, Actor Actor) : ICommand<uint>;

public sealed class RemoveOccurrenceCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock) : ICommandHandler<RemoveOccurrenceCommand, uint>
{
    public async ValueTask<uint> Handle(RemoveOccurrenceCommand command, CancellationToken cancellationToken)
    {
        var series = await EventAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, expectedVersion: null, cancellationToken);

        // A date already removed is no occurrence any more: 404, as for one the rule never gave.
        var date = Occurrences.DateOf(series, command.Occurrence);
        EventAccess.RequireVersion(series, command.ExpectedVersion);

        series.ExceptDates = [.. series.ExceptDates.Append(date).Order()];
        series.Overrides.RemoveAll(o => o.Occurrence == date);
        var now = clock.GetUtcNow();
        series.UpdatedAt = now;
        db.AuditEntries.Add(command.Actor.Audit("remove-occurrence", "event", series.Id, $"{series.Slug}/{Occurrences.Key(date)}", now));
        await db.SaveChangesAsync(cancellationToken);
        return series.Version;
    }
}

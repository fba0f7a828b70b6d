using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Events;

namespace Organizer.Application.Common;

/// <summary>Parsing of the wall-clock values clients send.</summary>
public static partial class Times
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A query's date: one outside <see cref="DateBounds"/> is refused like a malformed one, since no event lies there.</summary>
    public static bool TryBoundedDate(string? text, out DateOnly date) => TryDate(text, out date) && DateBounds.Contains(date);

    public static bool TryLocal(string? text, out DateTime local) =>
        DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

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
            EventSchedule.FindZone(zone);
            return null;
        }
        catch (Domain.Common.DomainRuleException e)
        {
            // Zone ids are case-sensitive; 'america/toronto' deserves the right spelling rather than a plain refusal.
            var spelled = DateTimeZoneProviders.Tzdb.Ids.FirstOrDefault(id => string.Equals(id, zone, StringComparison.OrdinalIgnoreCase));
            return spelled is null ? e.Message : $"'{zone}' is spelled '{spelled}' in the IANA database.";
        }
    }

    [GeneratedRegex("^(UTC|(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)(/[A-Za-z0-9_+-]{1,30}){1,2})$")]
    private static partial Regex LocationId();
}

using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.UnitTests;

public sealed class EventScheduleTests
{
    [Fact]
    public void Timed_InToronto_StoresUtcInstantsAndLocalDates()
    {
        var schedule = EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), new DateTime(2026, 12, 5, 16, 0, 0), "America/Toronto");

        Assert.False(schedule.AllDay);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 19, 0, 0, TimeSpan.Zero), schedule.StartsAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero), schedule.EndsAt);
        Assert.Equal(new DateOnly(2026, 12, 5), schedule.StartDate);
        Assert.Equal(DatePrecision.Exact, schedule.Precision);
        Assert.Equal(schedule.StartsAt, schedule.SortAt);
    }

    [Fact]
    public void Timed_EndBeforeStart_IsRefusedNamingTheEnd()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), new DateTime(2026, 12, 5, 13, 0, 0), "America/Toronto"));

        Assert.Equal("end", error.Field);
    }

    [Fact]
    public void Timed_LongerThan31Days_IsRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            EventSchedule.Timed(new DateTime(2026, 1, 1, 9, 0, 0), new DateTime(2026, 2, 2, 9, 0, 0), "America/Toronto"));

        Assert.Equal("end", error.Field);
    }

    [Fact]
    public void Timed_InTheSpringForwardGap_IsRefused()
    {
        // 02:30 on 8 March 2026 does not exist in Toronto: clocks jump from 02:00 to 03:00.
        var error = Assert.Throws<DomainRuleException>(() =>
            EventSchedule.Timed(new DateTime(2026, 3, 8, 2, 30, 0), null, "America/Toronto"));

        Assert.Equal("start", error.Field);
    }

    [Fact]
    public void WindowsZoneId_IsRefusedWithTheIanaIdToUse()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), null, "Eastern Standard Time"));

        Assert.Equal("timeZone", error.Field);
        Assert.Contains("America/New_York", error.Message);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    public void UnknownZone_IsRefused(string zone)
    {
        var error = Assert.Throws<DomainRuleException>(() => EventSchedule.AllDayRange(new DateOnly(2022, 6, 1), new DateOnly(2022, 6, 4), zone));

        Assert.Equal("timeZone", error.Field);
    }

    [Fact]
    public void AllDay_MultiDayAssembly_KeepsItsInclusiveDatesAndStartsAtLocalMidnight()
    {
        var schedule = EventSchedule.AllDayRange(new DateOnly(2022, 6, 1), new DateOnly(2022, 6, 4), "America/Toronto");

        Assert.True(schedule.AllDay);
        Assert.Null(schedule.StartsAt);
        Assert.Equal(new DateOnly(2022, 6, 4), schedule.EndDate);
        Assert.Equal(DatePrecision.Day, schedule.Precision);
        Assert.Equal(new DateTimeOffset(2022, 6, 1, 4, 0, 0, TimeSpan.Zero), schedule.SortAt);
    }

    [Fact]
    public void AllDay_CannotClaimAnExactTime()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            EventSchedule.AllDayRange(new DateOnly(2019, 11, 12), new DateOnly(2019, 11, 12), "America/Toronto", DatePrecision.Exact));

        Assert.Equal("datePrecision", error.Field);
    }

    [Fact]
    public void AllDay_EndBeforeStart_IsRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            EventSchedule.AllDayRange(new DateOnly(2022, 6, 4), new DateOnly(2022, 6, 1), "America/Toronto"));

        Assert.Equal("end", error.Field);
    }

    [Fact]
    public void Timed_AtAFallBackTime_IsTheFirstOfTheTwoInstants()
    {
        // 01:30 on 1 November 2026 happens twice in Toronto: first in EDT (05:30Z), then in EST (06:30Z). RFC 5545
        // reads such a TZID time as the first, so the stored instant must be that one too.
        var schedule = EventSchedule.Timed(new DateTime(2026, 11, 1, 1, 30, 0), null, "America/Toronto");

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), schedule.StartsAt);
    }

    [Theory]
    [InlineData("America/Sao_Paulo", "2019-01-15T12:00", "2019-01-15T14:00Z")] // DST was still kept in 2019
    [InlineData("Pacific/Apia", "2019-01-15T12:00", "2019-01-14T22:00Z")] // +14 with DST, dropped in 2021
    [InlineData("America/Santiago", "2027-09-08T12:00", "2027-09-08T15:00Z")]
    [InlineData("Asia/Kathmandu", "1985-06-01T12:00", "1985-06-01T06:30Z")] // +05:30 until 1986
    public void Timed_UsesTheRulesInForceOnTheDay(string zone, string local, string utc)
    {
        var schedule = EventSchedule.Timed(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), null, zone);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), schedule.StartsAt);
    }

    [Fact]
    public void AllDay_InAZoneThatSkipsMidnight_StartsWhenTheClocksLand()
    {
        // Santiago springs forward at midnight: 2027-09-05 starts at 01:00 local, 04:00Z.
        var schedule = EventSchedule.AllDayRange(new DateOnly(2027, 9, 5), new DateOnly(2027, 9, 5), "America/Santiago");

        Assert.Equal(new DateTimeOffset(2027, 9, 5, 4, 0, 0, TimeSpan.Zero), schedule.SortAt);
    }

    [Fact]
    public void FindZone_KeepsTheIdAsGiven_ForALink()
    {
        Assert.Equal("Asia/Calcutta", EventSchedule.FindZone("Asia/Calcutta").Id);
    }
}

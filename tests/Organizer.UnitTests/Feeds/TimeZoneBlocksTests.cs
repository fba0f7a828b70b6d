using System.Text;
using NodaTime;
using Organizer.Application.Feeds.Ics;

namespace Organizer.UnitTests.Feeds;

public sealed class TimeZoneBlocksTests
{
    [Theory]
    [InlineData(1900)]
    [InlineData(2027)]
    [InlineData(2100)]
    public void EveryZone_HasAtLeastOneObservance_InAnyYear(int year)
    {
        var at = new DateTimeOffset(year, 6, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var id in DateTimeZoneProviders.Tzdb.Ids)
        {
            var text = Block(id, at, at);

            Assert.NotEmpty(IcsText.Observances(text, id));
        }
    }

    [Fact]
    public void AZoneWithNoTransitionInRange_GetsOneStandardBlock_FromEqualToTo()
    {
        var text = Block("Asia/Kolkata", new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2027, 12, 1, 0, 0, 0, TimeSpan.Zero));

        var observance = Assert.Single(IcsText.Observances(text, "Asia/Kolkata"));
        Assert.Equal("STANDARD", observance.Kind);
        Assert.Equal(TimeSpan.FromHours(5.5), observance.From);
        Assert.Equal(TimeSpan.FromHours(5.5), observance.To);
    }

    [Fact]
    public void EachTransition_StartsAtTheWallTimeBeforeIt_InTheOldOffset()
    {
        var text = Block("America/Toronto", new(2007, 6, 1, 0, 0, 0, TimeSpan.Zero), new(2007, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var observances = IcsText.Observances(text, "America/Toronto");
        Assert.Equal(3, observances.Count); // EST in force on 1 January, then the 2007 spring and fall changes
        Assert.Equal(new("DAYLIGHT", new(2007, 3, 11, 2, 0, 0), TimeSpan.FromHours(-5), TimeSpan.FromHours(-4), "EDT"), observances[1]);
        Assert.Equal(new("STANDARD", new(2007, 11, 4, 2, 0, 0), TimeSpan.FromHours(-4), TimeSpan.FromHours(-5), "EST"), observances[2]);
    }

    [Theory]
    [InlineData("America/Sao_Paulo", 2015, 2025)]
    [InlineData("Pacific/Apia", 2009, 2023)]
    [InlineData("America/Santiago", 2020, 2030)]
    [InlineData("Australia/Lord_Howe", 2026, 2028)]
    [InlineData("Europe/Dublin", 1965, 2030)]
    [InlineData("Asia/Kathmandu", 1980, 1990)]
    [InlineData("Europe/Amsterdam", 1900, 1945)]
    public void Observances_MatchTheTzDatabase_TransitionForTransition(string zoneId, int firstYear, int lastYear)
    {
        var text = Block(zoneId, new(firstYear, 1, 1, 0, 0, 0, TimeSpan.Zero), new(lastYear, 12, 31, 0, 0, 0, TimeSpan.Zero));

        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var observances = IcsText.Observances(text, zoneId);
        var transitions = zone.GetZoneIntervals(Instant.FromUtc(firstYear, 1, 1, 0, 0), Instant.FromUtc(lastYear + 1, 1, 1, 0, 0)).Skip(1).ToList();
        Assert.Equal(transitions.Count + 1, observances.Count);
        foreach (var (interval, observance) in transitions.Zip(observances.Skip(1)))
        {
            Assert.Equal(interval.Start.ToDateTimeUtc(), observance.OnsetUtc);
            Assert.Equal(interval.WallOffset.ToTimeSpan(), observance.To);
            Assert.Equal(interval.Savings != Offset.Zero ? "DAYLIGHT" : "STANDARD", observance.Kind);
        }

        // The first observance is the rules already in force, and holds from an instant before the range.
        Assert.True(observances[0].OnsetUtc <= new DateTime(firstYear, 1, 1));
        Assert.Equal(observances[0].From, observances[0].To);
    }

    [Fact]
    public void Dublin_WinterOffsetIsZero_SummerIsOneHour_WhateverTheLabels()
    {
        var text = Block("Europe/Dublin", new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTime(2026, 1, 15, 12, 0, 0), IcsText.ToUtc(text, "Europe/Dublin", new(2026, 1, 15, 12, 0, 0)));
        Assert.Equal(new DateTime(2026, 7, 15, 11, 0, 0), IcsText.ToUtc(text, "Europe/Dublin", new(2026, 7, 15, 12, 0, 0)));
    }

    [Fact]
    public void LocalMeanTimeOffsets_KeepTheirSeconds()
    {
        // Dublin Mean Time, until 1916.
        var text = Block("Europe/Dublin", new(1910, 1, 1, 0, 0, 0, TimeSpan.Zero), new(1910, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Contains("TZOFFSETTO:-002521\r\n", text);
        Assert.Equal(new DateTime(1910, 6, 1, 12, 25, 21), IcsText.ToUtc(text, "Europe/Dublin", new(1910, 6, 1, 12, 0, 0)));
    }

    [Fact]
    public void TheSameZoneAndYears_AreRenderedOnce()
    {
        var a = TimeZoneBlocks.For("Europe/Paris", new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var b = TimeZoneBlocks.For("Europe/Paris", new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Same(a, b);
    }

    private static string Block(string zone, DateTimeOffset earliest, DateTimeOffset latest) =>
        Encoding.UTF8.GetString(TimeZoneBlocks.For(zone, earliest, latest));
}

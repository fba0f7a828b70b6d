using Organizer.Application.Feeds;

namespace Organizer.UnitTests.Feeds;

/// <summary>When a feed kept by one instance may still be served, given what every instance has evicted.</summary>
public sealed class SharedVersionsTests
{
    private static readonly SharedStamp Stamp = new("epoch-1", Evictions: 10, Everything: 3);

    [Fact]
    public void ARender_IsKept_WhenNoneOfItsTagsMovedAfterItsStamp() =>
        Assert.True(new SharedVersions("epoch-1", [0, 7, 10]).NotPast(Stamp));

    [Fact]
    public void ARender_IsNotKept_WhenAWriteMovedOneOfItsTagsWhileItRendered() =>
        Assert.False(new SharedVersions("epoch-1", [0, 11]).NotPast(Stamp));

    [Fact]
    public void ARender_IsNotKept_WhenTheStoreStartedAnEpochMeanwhile() =>
        Assert.False(new SharedVersions("epoch-2", [0, 0]).NotPast(Stamp));

    [Fact]
    public void AKeptFeed_IsServed_OnlyWhileEveryNumberAndTheEpochAreTheSame()
    {
        var kept = new SharedVersions("epoch-1", [4, 9]);
        Assert.True(new SharedVersions("epoch-1", [4, 9]).SameAs(kept));
        Assert.False(new SharedVersions("epoch-1", [4, 12]).SameAs(kept));

        // A forgotten tag (expired, or the store restarted) reads as 0: it makes a copy outdated, never current.
        Assert.False(new SharedVersions("epoch-1", [0, 9]).SameAs(kept));
        Assert.False(new SharedVersions("", [4, 9]).SameAs(kept));
    }
}

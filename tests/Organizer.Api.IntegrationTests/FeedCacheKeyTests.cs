using System.Reflection;
using Organizer.Api.Endpoints;
using Organizer.Api.Http;

namespace Organizer.Api.IntegrationTests;

/// <summary>A feed cached without a parameter it reads would serve one filter's events for another's.</summary>
public sealed class FeedCacheKeyTests
{
    [Fact]
    public void FilteredFeed_VariesByEveryParameterOfItsQueryStringRecord()
    {
        var keys = FeedCache.BoundQueryKeys(Handler(nameof(FeedsEndpoints.FilteredFeed)));

        Assert.Equal(
            ["organization", "city", "country", "kind", "tag", "from", "to", "status", "cancelled", "q"],
            keys.Select(k => k!.ToLowerInvariant()).ToArray());
    }

    [Fact]
    public void ScopedFeed_VariesOnlyByCancelled() =>
        Assert.Equal(["cancelled"], FeedCache.BoundQueryKeys(Handler(nameof(FeedsEndpoints.AllFeed))).ToArray());

    private static MethodInfo Handler(string name) => typeof(FeedsEndpoints).GetMethod(name)!;
}

using System.Net;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A render that read the database before a write committed must not be stored after that write's eviction: it
/// would serve the feed without the write until the next write, for up to an hour.
/// </summary>
public sealed class FeedCacheRaceTests(FeedCacheRaceTests.HoldingFactory factory) : IClassFixture<FeedCacheRaceTests.HoldingFactory>
{
    private const string Feed = "/feeds/organizations/communist-party-of-canada.ics";

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ARenderOvertakenByAWrite_IsNotStored()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");

        // The render reads the feed's events, then stops just before its bytes go into the cache.
        var held = factory.Store.HoldNextStore();
        var render = client.GetAsync(Feed, TestContext.Current.CancellationToken);
        await held.Reached;

        var title = $"Overtaking rally {Guid.NewGuid():N}";
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(title), token)).ExpectAsync(HttpStatusCode.Created);

        held.Release();
        using (var stale = await render)
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        }

        using var next = await client.GetAsync(Feed, TestContext.Current.CancellationToken);
        Assert.Contains(title, Unfolded(await next.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentMissesOfOneFeed_ShareOneRender()
    {
        const string feed = "/feeds/kinds/march.ics?cancelled=exclude";
        // Counted at this app's own database: the render meter is process-wide, and other test classes render too.
        var rendersBefore = factory.Store.Renders;

        // The first request renders and stops before storing; the others arrive while it is held.
        var held = factory.Store.HoldNextStore();
        var first = client.GetAsync(feed, TestContext.Current.CancellationToken);
        await held.Reached;
        var others = Enumerable.Range(0, 7).Select(_ => client.GetAsync(feed, TestContext.Current.CancellationToken)).ToList();
        await Task.Delay(200, TestContext.Current.CancellationToken);
        held.Release();

        var answers = await Task.WhenAll(others.Prepend(first));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.Headers.ETag!.Tag).Distinct());
        Assert.Equal(1, factory.Store.Renders - rendersBefore);
    }

    [Fact]
    public async Task UnderConcurrentPollsAndWrites_TheFeedEndsWithEveryWrite()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        const string feed = "/feeds/organizations/young-communist-league-of-canada.ics";
        using var writing = new CancellationTokenSource();
        var titles = new System.Collections.Concurrent.ConcurrentBag<string>();

        var writers = Enumerable.Range(0, 4).Select(async w =>
        {
            for (var i = 0; i < 10; i++)
            {
                var title = $"Load rally {w}-{i} {Guid.NewGuid():N}";
                await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(title), token)).ExpectAsync(HttpStatusCode.Created);
                titles.Add(title);
            }
        }).ToList();
        var pollers = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (!writing.IsCancellationRequested)
            {
                using var polled = await client.GetAsync(feed, CancellationToken.None);
                Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
            }
        }).ToList();

        await Task.WhenAll(writers);
        await writing.CancelAsync();
        await Task.WhenAll(pollers);

        using var final = await client.GetAsync(feed, TestContext.Current.CancellationToken);
        var text = Unfolded(await final.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.All(titles, title => Assert.Contains(title, text, StringComparison.Ordinal));
    }

    private static string Unfolded(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    public sealed class HoldingFactory : ApiFactory
    {
        public RenderHold Store { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<OrganizerDbContext>(options => options.AddInterceptors(Store)));
        }
    }

    /// <summary>
    /// Stops the next feed render after it has read its events, at its last query (the feed watermark), until the test
    /// lets it go: the moment between a render's read and its store.
    /// </summary>
    public sealed class RenderHold : DbCommandInterceptor
    {
        private Hold? hold;
        private int renders;

        /// <summary>Feed renders so far: each reads the watermark once, last.</summary>
        public int Renders => Volatile.Read(ref renders);

        public Hold HoldNextStore() => hold = new Hold();

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM feed_watermarks", StringComparison.Ordinal)
                && command.CommandText.Contains("WHERE f.id = 1", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref renders);
                if (Interlocked.Exchange(ref hold, null) is { } held)
                {
                    held.Arrive();
                    await held.Released;
                }
            }

            return result;
        }
    }

    public sealed class Hold
    {
        private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => reached.Task;

        public Task Released => released.Task;

        public void Arrive() => reached.TrySetResult();

        public void Release() => released.TrySetResult();
    }
}

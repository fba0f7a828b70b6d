using Organizer.Domain.Events;

namespace Organizer.Api.IntegrationTests;

public sealed class PaginationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task WalkingPages_YieldsEveryEventOnceInOrder(int limit)
    {
        var all = (await client.GetAllEventsAsync(limit: 200)).Slugs();

        var paged = (await client.GetAllEventsAsync(limit: limit)).Slugs();

        Assert.Equal(all, paged);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task EventsAddedBetweenPages_NeitherSkipNorRepeatTheOthers()
    {
        var before = (await client.GetAllEventsAsync(limit: 200)).Slugs();
        var seen = new List<string>();

        var page = await client.GetJsonAsync("/api/events?limit=4");
        seen.AddRange(page.Array("items").Select(i => (string)i!["slug"]!));

        // Added meanwhile: one sorting before the cursor, one after it, one at the same instant as the last item seen.
        await using (var scope = factory.CreateScope(out var db))
        {
            db.Events.AddRange(
                NewEvent("inserted-early", new DateOnly(2001, 1, 1)),
                NewEvent("inserted-late", new DateOnly(2030, 1, 1)),
                NewEvent("inserted-same-day", new DateOnly(2019, 11, 12)));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var cursor = (string?)page["nextCursor"];
        while (cursor is not null)
        {
            page = await client.GetJsonAsync($"/api/events?limit=4&cursor={Uri.EscapeDataString(cursor)}");
            seen.AddRange(page.Array("items").Select(i => (string)i!["slug"]!));
            cursor = (string?)page["nextCursor"];
        }

        var original = seen.Where(before.Contains).ToList();
        Assert.Equal(before, original);
        Assert.Contains("inserted-late", seen);
        Assert.DoesNotContain("inserted-early", seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    private static Event NewEvent(string slug, DateOnly day) => new()
    {
        Slug = slug,
        Title = slug,
        Kind = EventKind.Rally,
        Schedule = EventSchedule.AllDayRange(day, day, "America/Toronto"),
    };
}

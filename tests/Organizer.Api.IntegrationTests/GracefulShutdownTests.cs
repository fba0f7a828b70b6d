using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// An instance told to stop behind a load balancer: for the drain it still answers, but says it is not ready and
/// closes its connections after each response; then it stops listening, and a request already in flight still gets
/// its answer. Over a real Kestrel socket, since connections and listening are what this is about.
/// </summary>
public sealed class GracefulShutdownTests(GracefulShutdownTests.DrainingFactory factory) : IClassFixture<GracefulShutdownTests.DrainingFactory>
{
    private const int DrainSeconds = 3;

    [Fact]
    public async Task Stopping_DrainsThenStopsListening_AndFinishesTheRequestInFlight()
    {
        var cancel = TestContext.Current.CancellationToken;
        var client = factory.CreateClient();
        using (var ready = await client.GetAsync("/health/ready", cancel))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.False(ready.Headers.ConnectionClose ?? false);
        }

        // A request reading the database when the stop comes, held there until the test lets it go.
        var held = factory.Hold.HoldNextOrganizationRead();
        var inFlight = client.GetAsync("/api/organizations/cupe", cancel);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(10), cancel);

        // What WebApplication.Run does once SIGTERM or Ctrl+C has triggered StopApplication.
        var clock = Stopwatch.StartNew();
        var stopping = factory.Services.GetRequiredService<IHost>().StopAsync(CancellationToken.None);

        // During the drain: not ready, still alive, and every answer closes its connection, a kept-alive one included.
        using (var ready = await client.GetAsync("/health/ready", cancel))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.True(ready.Headers.ConnectionClose, "A response during the drain must carry Connection: close.");
        }

        using (var live = await client.GetAsync("/health/live", cancel))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.True(live.Headers.ConnectionClose, "A response during the drain must carry Connection: close.");
        }

        Assert.False(inFlight.IsCompleted);

        // After the drain the server stops listening: a new connection is refused, and not before the drain is over.
        var address = client.BaseAddress!;
        while (await AcceptsConnectionsAsync(address, cancel))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(DrainSeconds + 15), "The server still listens long after the drain.");
            await Task.Delay(100, cancel);
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(DrainSeconds), $"The server stopped listening after {clock.Elapsed}, before the {DrainSeconds} s drain was over.");
        Assert.False(inFlight.IsCompleted);

        held.Release();
        using var answer = await inFlight.WaitAsync(TimeSpan.FromSeconds(10), cancel);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"slug\":\"cupe\"", await answer.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);

        await stopping.WaitAsync(TimeSpan.FromSeconds(10), cancel);
    }

    private static async Task<bool> AcceptsConnectionsAsync(Uri address, CancellationToken cancel)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancel);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // The listener closed while this connection waited in its backlog: it is stopping right now. The caller
            // probes again, and the next probe is refused.
            return true;
        }
    }

    public sealed class DrainingFactory : ApiFactory
    {
        public DrainingFactory() => UseKestrel(0);

        public QueryHold Hold { get; } = new();

        protected override IEnumerable<(string Key, string Value)> Settings =>
            base.Settings.Append(("Organizer:Shutdown:DrainSeconds", DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<OrganizerDbContext>(options => options.AddInterceptors(Hold)));
        }
    }

    /// <summary>Stops the next query of the organizations table, once armed, until the test lets it go.</summary>
    public sealed class QueryHold : DbCommandInterceptor
    {
        private FeedCacheRaceTests.Hold? hold;

        public FeedCacheRaceTests.Hold HoldNextOrganizationRead() => hold = new FeedCacheRaceTests.Hold();

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM organizations", StringComparison.Ordinal) && Interlocked.Exchange(ref hold, null) is { } held)
            {
                held.Arrive();
                await held.Released;
            }

            return result;
        }
    }
}

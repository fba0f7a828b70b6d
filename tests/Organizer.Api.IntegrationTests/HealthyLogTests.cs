using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// An operator pages on warnings and errors, so a healthy instance must log none: not on its first start on a new
/// database, not under ordinary reads and writes, and not when clients hang up mid-request, which clients do all day.
/// </summary>
public sealed class HealthyLogTests
{
    private const string Organization = "communist-party-of-canada";
    private const string HungUpTitle = "Rally after a hang-up";

    [Fact]
    public async Task AHealthyStartAndLoad_OnANewDatabase_LogNothingAtWarningOrAbove()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new LoggedApp();
        await app.InitializeAsync();
        var client = app.CreateClient();

        // Writes, with the admin token and an organization's token; one with an Idempotency-Key, sent twice.
        var token = await client.TokenForAsync(Organization);
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Vigil for the disappeared"), token)).ExpectAsync(HttpStatusCode.Created);
        var slug = (string)created["slug"]!;
        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new { title = "Candlelight vigil" }, token, "application/merge-patch+json")).ExpectAsync(HttpStatusCode.OK);
        var keyed = WriteClient.EventBody("Picket for Peru", "2026-12-06T12:00:00", "2026-12-06T13:00:00");
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", keyed, token, idempotencyKey: "healthy-1")).ExpectAsync(HttpStatusCode.Created);
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", keyed, token, idempotencyKey: "healthy-1")).ExpectAsync(HttpStatusCode.Created);

        // Enough long events for the whole-site feed to outrun the socket buffers and Kestrel's own, so that a client
        // hanging up after the headers does so while the server is still writing.
        var description = string.Concat(Enumerable.Repeat("A long account of the day, as the report gives it. ", 200));
        for (var i = 0; i < 40; i++)
        {
            // One after another: in parallel they would open as many connections, and hold them in the pool.
            var body = WriteClient.EventBody($"Long rally {i}", "2026-12-09T14:00:00", "2026-12-09T16:00:00");
            body["description"] = description;
            await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        }

        // Reads: lists, single records, search, feeds (rendered, then kept), health, and expected refusals.
        string[] reads =
        [
            "/", "/health/ready", "/openapi/v1.json", "/api/events", "/api/events?q=bolivia", $"/api/events/{slug}", $"/api/events/{slug}.ics",
            "/api/organizations", $"/api/organizations/{Organization}", $"/api/organizations/{Organization}/actions",
            $"/api/organizations/{Organization}/summary", "/api/places", "/api/places/matt-cohen-park-toronto", "/api/statements",
            "/api/cities", "/api/cities/toronto", "/api/search?q=rally", "/feeds/all.ics", $"/feeds/organizations/{Organization}.ics",
            $"/feeds/organizations/{Organization}.atom", "/feeds/kinds/rally.ics", "/feeds/cities/toronto.ics", "/feeds/events.ics?kind=rally",
        ];
        foreach (var url in reads.Concat(reads))
        {
            using var response = await client.GetAsync(url, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        }

        using (var missing = await client.GetAsync("/api/events/no-such-event", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", new { title = "" }, token)).ExpectAsync(HttpStatusCode.BadRequest);

        // Clients that hang up: a big feed after its headers (rendered anew after a write, then kept), and reads and
        // writes at every point of their way through the server.
        using var hangingUp = app.HangingUpClient(client.BaseAddress!);
        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new { title = "Vigil" }, token, "application/merge-patch+json")).ExpectAsync(HttpStatusCode.OK);
        await HangUpAfterTheHeadersAsync(hangingUp, "/feeds/all.ics", ct);
        await HangUpAfterTheHeadersAsync(hangingUp, "/feeds/all.ics", ct);
        await HangUpOnWritesAsync(hangingUp, token, alsoOnReads: true, ct);
        await app.Requests.WaitUntilIdleAsync(ct);
        Assert.True(app.Requests.Aborted("GET /feeds/all.ics") > 0, "no feed request was still running when its client hung up");
        Assert.True(app.Requests.Aborted("POST /api/events") > 0, "no write was still running when its client hung up");
        Assert.True(app.Requests.Aborted("GET /api/search") > 0, "no search was still running when its client hung up");

        var logged = app.Logs.Entries.ToList();
        Assert.True(logged.Count == 0, $"{logged.Count} entries at Warning or above:{Environment.NewLine}{string.Join(Environment.NewLine, logged)}");
    }

    /// <summary>
    /// A write whose client hangs up runs to its end: the client cannot know how far it got, and its retry with the same
    /// Idempotency-Key must leave exactly one event, never none and never two.
    /// </summary>
    [Fact]
    public async Task WritesWhoseClientsHungUp_RetriedWithTheirKeys_LeaveOneEventEach()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new LoggedApp();
        await app.InitializeAsync();
        var client = app.CreateClient();
        var token = await client.TokenForAsync(Organization);
        using var hangingUp = app.HangingUpClient(client.BaseAddress!);

        var writes = await HangUpOnWritesAsync(hangingUp, token, alsoOnReads: false, ct);
        await app.Requests.WaitUntilIdleAsync(ct);
        Assert.True(app.Requests.Aborted("POST /api/events") > 0, "no write was still running when its client hung up");

        foreach (var (key, body) in writes)
        {
            await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token, idempotencyKey: key)).ExpectAsync(HttpStatusCode.Created);
        }

        using var scope = app.CreateScope(out var db);
        var titles = await db.Events.Where(e => e.Title.StartsWith(HungUpTitle)).Select(e => e.Title).ToListAsync(ct);
        Assert.True(
            writes.Select(w => (string)w.Body["title"]!).Order().SequenceEqual(titles.Order()),
            $"Expected one event per key; the database holds: {string.Join(", ", titles.Order())}");
    }

    /// <summary>
    /// Creates events with an Idempotency-Key each, hanging up after ever longer waits so that some are cut off before
    /// they reach the server and some at each point of their way through it; with <paramref name="alsoOnReads"/>, does
    /// the same to a search and a list after each.
    /// </summary>
    private static async Task<List<(string Key, JsonObject Body)>> HangUpOnWritesAsync(HttpClient client, string token, bool alsoOnReads, CancellationToken cancellationToken)
    {
        var writes = new List<(string Key, JsonObject Body)>();
        foreach (var delay in new[] { 0, 1, 2, 3, 5, 8, 12, 16, 20, 25, 30, 40, 50, 70, 100 })
        {
            var body = WriteClient.EventBody($"{HungUpTitle} {delay}", "2026-12-10T14:00:00", "2026-12-10T16:00:00");
            var key = $"hang-up-{delay}";
            writes.Add((key, body));
            await HangUpAfterAsync(client, delay, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Add("Idempotency-Key", key);
                return request;
            }, cancellationToken);
            if (alsoOnReads)
            {
                await HangUpAfterAsync(client, delay, () => new HttpRequestMessage(HttpMethod.Get, "/api/search?q=rally"), cancellationToken);
                await HangUpAfterAsync(client, delay, () => new HttpRequestMessage(HttpMethod.Get, "/api/events?q=bolivia"), cancellationToken);
            }
        }

        return writes;
    }

    private static async Task HangUpAfterAsync(HttpClient client, int milliseconds, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(milliseconds);
        try
        {
            using var sent = request();
            using var response = await client.SendAsync(sent, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task HangUpAfterTheHeadersAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await stream.ReadExactlyAsync(new byte[1024], cancellationToken);

        // Disposing a response that is not read to its end closes the connection: the handler drains nothing.
        response.Dispose();
    }

    /// <summary>
    /// The tests' usual app on a new database, over Kestrel so that clients hang up on a real socket, with every entry
    /// at Warning or above captured, and each request's end noted.
    /// </summary>
    private sealed class LoggedApp : ApiFactory
    {
        public LoggedApp() => UseKestrel(0);

        public CapturedLogs Logs { get; } = new();

        public RequestLog Requests { get; } = new();

        /// <summary>
        /// A client with a small receive buffer, so the server's writes back up quickly, that drops a connection
        /// instead of draining a response it stopped reading.
        /// </summary>
        public HttpClient HangingUpClient(Uri baseAddress) => new(new SocketsHttpHandler
        {
            MaxResponseDrainSize = 0,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseAddress };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturedLogs>(null, LogLevel.Warning));
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<IStartupFilter>(Requests);

                // A fixed small send buffer (accepted sockets inherit the listener's): Linux would otherwise grow it to
                // megabytes on loopback, and the whole feed would leave the server before its client hung up.
                services.Configure<SocketTransportOptions>(sockets => sockets.CreateBoundListenSocket = endpoint =>
                {
                    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                    socket.SendBufferSize = 8192;
                    return socket;
                });
            });
        }
    }

    /// <summary>Every entry its loggers are given; the filter above gives them Warning and above, of any category.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Entries.Enqueue($"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }

    /// <summary>Notes which requests' clients hung up before the server was done with them, and which are running.</summary>
    private sealed class RequestLog : IStartupFilter
    {
        private readonly ConcurrentQueue<string> aborted = new();
        private int running;

        /// <summary>How many requests for "METHOD /path" were aborted.</summary>
        public int Aborted(string request) => aborted.Count(r => r == request);

        /// <summary>
        /// Waits until no request is running: a server finishes a request some time after its client hangs up, and
        /// Kestrel signals the hang-up on another thread.
        /// </summary>
        public async Task WaitUntilIdleAsync(CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Volatile.Read(ref running) > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, cancellationToken);
            }

            Assert.Equal(0, Volatile.Read(ref running));
            await Task.Delay(200, cancellationToken);
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var request = $"{context.Request.Method} {context.Request.Path}";
                context.RequestAborted.Register(() => aborted.Enqueue(request));
                Interlocked.Increment(ref running);
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            });
            next(app);
        };
    }
}

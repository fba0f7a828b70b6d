using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Organizer.Infrastructure.Postgres;

namespace Organizer.Api.IntegrationTests.Topology;

/// <summary>
/// What a scaled deployment runs, on loopback and without Docker: a PostgreSQL primary, a streaming replica made from
/// it with <c>pg_basebackup -R</c>, a real <c>redis-server</c>, and two instances of the app (A and B) configured with
/// all three. Tests stop and start the servers; each puts back what it stopped.
/// </summary>
public sealed class Topology : IAsyncLifetime
{
    public const string AnonymousWritesPerMinute = "4";

    private const string Prefix = "organizer-topology-";
    private readonly string root = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..12]);
    /// <summary>Stopped and started again on the same port by the tests (StopServerAsync, StartAgainAsync).</summary>
    public LocalPostgresCluster Primary { get; private set; } = null!;

    public LocalPostgresCluster Replica { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public Instance A { get; private set; } = null!;

    public Instance B { get; private set; } = null!;

    public string PrimaryDatabase { get; private set; } = "";

    public string ReplicaDatabase { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await LocalPostgresCluster.SweepStaleAsync(Path.GetTempPath(), Prefix, NullLogger.Instance);
        Directory.CreateDirectory(root);
        LocalPostgresCluster.MarkOwned(root);

        var primaryRoot = Path.Combine(root, "primary");
        Directory.CreateDirectory(primaryRoot);
        Primary = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions(primaryRoot, Throwaway: true), NullLogger.Instance);
        var admin = new NpgsqlConnectionStringBuilder(Primary.ConnectionString);
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE organizer", connection);
            await create.ExecuteNonQueryAsync();
        }

        // initdb's pg_hba.conf already lets the postgres user replicate over loopback with its password.
        var replicaRoot = Path.Combine(root, "replica");
        Directory.CreateDirectory(replicaRoot);
        File.WriteAllText(Path.Combine(replicaRoot, "password"), admin.Password);
        BaseBackup.Own(replicaRoot);
        await BaseBackup.RunAsPostgresAsync("pg_basebackup", ["-h", "127.0.0.1", "-p", Primary.Port.ToString(), "-U", "postgres", "-D", Path.Combine(replicaRoot, "data"), "-R", "-X", "stream", "-c", "fast"],
            ("PGPASSWORD", admin.Password!));
        Replica = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions(replicaRoot, Throwaway: true), NullLogger.Instance);

        PrimaryDatabase = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = "organizer" }.ConnectionString;
        ReplicaDatabase = new NpgsqlConnectionStringBuilder(Replica.ConnectionString) { Database = "organizer" }.ConnectionString;

        Redis = await RedisServer.StartAsync(Path.Combine(root, "redis"));

        A = new Instance(this);
        B = new Instance(this);
        // One after the other: starting together on an empty database is ConcurrentStartTests' business.
        A.StartServer();
        B.StartServer();
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Redis.Stop();
        if (Replica is not null)
        {
            await Replica.StopAsync();
        }

        if (Primary is not null)
        {
            await Primary.StopAsync();
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next run's sweep removes it.
        }
    }

    /// <summary>One instance of the app, configured as every instance of a scaled deployment is.</summary>
    public sealed class Instance(Topology topology) : WebApplicationFactory<Program>
    {
        /// <summary>What the instance logged at Warning or above.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Logged { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(new WarningLog(Logged)));
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Organizer", topology.PrimaryDatabase);
            builder.UseSetting("ConnectionStrings:OrganizerReplica", topology.ReplicaDatabase);
            builder.UseSetting("ConnectionStrings:Redis", topology.Redis.Configuration);
            builder.UseSetting("Organizer:Redis:KeyPrefix", "topology:");
            builder.UseSetting("Organizer:AdminToken", ApiFactory.AdminToken);
            builder.UseSetting("Organizer:RateLimits:WritesPerMinute", "100000");
            builder.UseSetting("Organizer:RateLimits:AnonymousWritesPerMinute", AnonymousWritesPerMinute);
        }
    }

    /// <summary>What making the replica takes beyond the app's own launcher: pg_basebackup, run as PostgreSQL's user.</summary>
    private static class BaseBackup
    {
        /// <summary>
        /// Where pg_ctl really is: PATH may hold links to initdb and pg_ctl alone, without pg_basebackup beside them.
        /// </summary>
        private static string ServerBinaries
        {
            get
            {
                var pgCtl = new FileInfo(Path.Combine(LocalPostgresCluster.FindServerBinaries()!, "pg_ctl"));
                return Path.GetDirectoryName(pgCtl.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? pgCtl.FullName)!;
            }
        }

        internal static void Own(string directory)
        {
            if (!OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess)
            {
                using var chown = Process.Start("chown", ["-R", "postgres:postgres", directory]);
                chown.WaitForExit();
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        /// <summary>PostgreSQL's tools refuse to run as root: they run as the postgres user, as the app runs them.</summary>
        internal static async Task RunAsPostgresAsync(string tool, IReadOnlyList<string> args, params (string Name, string Value)[] environment)
        {
            var executable = Path.Combine(ServerBinaries, tool);
            var info = new ProcessStartInfo
            {
                FileName = Environment.IsPrivilegedProcess ? "runuser" : executable,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            if (Environment.IsPrivilegedProcess)
            {
                foreach (var a in (string[])["-u", "postgres", "--", executable])
                {
                    info.ArgumentList.Add(a);
                }
            }

            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
            }
        }
    }

    /// <summary>A redis-server on a free loopback port, with no persistence: a restart loses everything, as in the worst case.</summary>
    public sealed class RedisServer
    {
        private readonly string directory;
        private Process? process;

        private RedisServer(string directory, int port)
        {
            this.directory = directory;
            Port = port;
        }

        public int Port { get; }

        public string Configuration => $"127.0.0.1:{Port}";

        public static async Task<RedisServer> StartAsync(string directory)
        {
            Directory.CreateDirectory(directory);
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var server = new RedisServer(directory, port);
            await server.StartAsync();
            return server;
        }

        public async Task StartAsync()
        {
            var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
            var info = new ProcessStartInfo(binary,
                ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            try
            {
                process = Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it).", e);
            }

            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!await AnswersAsync())
            {
                if (DateTime.UtcNow > deadline || process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server did not start on port {Port}.");
                }

                await Task.Delay(50);
            }
        }

        public void Stop()
        {
            if (process is { HasExited: false })
            {
                process.Kill();
                process.WaitForExit();
            }

            process?.Dispose();
            process = null;
        }

        private async Task<bool> AnswersAsync()
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"));
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}


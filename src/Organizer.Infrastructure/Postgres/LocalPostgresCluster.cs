using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Organizer.Infrastructure.Postgres;

/// <summary>How to run a private PostgreSQL cluster.</summary>
/// <param name="RootDirectory">Holds the cluster (data/), its log, its socket and its password.</param>
/// <param name="Throwaway">Test clusters: durability off for speed, and never worth keeping.</param>
public sealed record LocalPostgresOptions(string RootDirectory, bool Throwaway = false);

/// <summary>Thrown when no PostgreSQL server can be started; the message says how to fix it.</summary>
public sealed class LocalPostgresException(string message) : Exception(message);

/// <summary>
/// Starts (or reuses) a private PostgreSQL cluster from the machine's server binaries, on a free loopback port.
/// PostgreSQL refuses to run as root, so when this process is root every server command runs as the
/// <c>postgres</c> system user through runuser.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private const string OwnerFile = "owner.pid";

    private readonly string binDirectory;
    private readonly ILogger logger;
    private readonly bool ownsServer;
    private readonly string password;

    private LocalPostgresCluster(string binDirectory, LocalPostgresOptions options, int port, string password, bool ownsServer, ILogger logger)
    {
        this.binDirectory = binDirectory;
        this.logger = logger;
        this.ownsServer = ownsServer;
        this.password = password;
        Options = options;
        Port = port;
    }

    public LocalPostgresOptions Options { get; }

    public int Port { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = password,
        Database = "postgres",
    }.ConnectionString;

    private string DataDirectory => Path.Combine(Options.RootDirectory, "data");

    private string LogFile => Path.Combine(Options.RootDirectory, "server.log");

    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    /// <summary>The directory with initdb and pg_ctl: from PATH, else the newest /usr/lib/postgresql/*/bin.</summary>
    public static string? FindServerBinaries()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (fromPath is not null)
        {
            return fromPath;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(debianRoot)
            .Select(d => (Version: int.TryParse(Path.GetFileName(d).Split('.')[0], out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
            .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")) && File.Exists(Path.Combine(d.Bin, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Bin)
            .FirstOrDefault();
    }

    public static async Task<LocalPostgresCluster> StartAsync(LocalPostgresOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        var bin = FindServerBinaries() ?? throw new LocalPostgresException(
            "No PostgreSQL server binaries (initdb, pg_ctl) were found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install them (Debian/Ubuntu: sudo apt-get install postgresql postgresql-contrib), " +
            "or point the app at a server you run with ConnectionStrings__Organizer=\"Host=…;Username=…;Password=…;Database=…\", " +
            "or use 'docker compose up'.");

        PrepareRoot(options.RootDirectory);
        var password = await EnsurePasswordAsync(options.RootDirectory, cancellationToken);
        var cluster = new LocalPostgresCluster(bin, options, 0, password, ownsServer: false, logger);

        if (!File.Exists(Path.Combine(cluster.DataDirectory, "PG_VERSION")))
        {
            await cluster.InitAsync(password, cancellationToken);
        }

        // A server left running (by an instance still alive, or one killed without shutting down) is reused, not fought.
        if (cluster.RunningPort() is { } runningPort && await cluster.RunAsync("pg_ctl", ["status", "-D", cluster.DataDirectory], cancellationToken) == 0)
        {
            logger.LogInformation("Reusing the PostgreSQL server already running on port {Port} for {Directory}", runningPort, options.RootDirectory);
            var reused = new LocalPostgresCluster(bin, options, runningPort, password, ownsServer: false, logger);
            await reused.WaitUntilReadyAsync(cancellationToken);
            return reused;
        }

        var port = FreeLoopbackPort();
        var started = new LocalPostgresCluster(bin, options, port, password, ownsServer: true, logger);
        await started.StartServerAsync(cancellationToken);
        await started.WaitUntilReadyAsync(cancellationToken);
        logger.LogInformation("Started a private PostgreSQL server on 127.0.0.1:{Port} with data in {Directory}", port, options.RootDirectory);
        return started;
    }

    public async Task StopAsync()
    {
        if (!ownsServer)
        {
            return;
        }

        var mode = Options.Throwaway ? "immediate" : "fast";
        await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", mode, "-w", "-t", "30"], CancellationToken.None);
        if (Options.Throwaway)
        {
            TryDelete(Options.RootDirectory);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// Stops the server but keeps its data and port, so that <see cref="StartAgainAsync"/> brings the same cluster back:
    /// for tests of how the app lives through an outage. <paramref name="mode"/> is pg_ctl's: smart, fast or immediate.
    /// </summary>
    public async Task StopServerAsync(string mode)
    {
        if (!ownsServer)
        {
            throw new InvalidOperationException("Only a server this process started can be stopped and started again.");
        }

        var (code, output) = await RunCapturedAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", mode, "-w", "-t", "30"], CancellationToken.None);
        if (code != 0)
        {
            throw new LocalPostgresException($"pg_ctl could not stop PostgreSQL in {DataDirectory} (exit {code}):{Environment.NewLine}{output}");
        }
    }

    /// <summary>Starts a server stopped by <see cref="StopServerAsync"/> again, on the same port, and waits until it takes connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        await StartServerAsync(cancellationToken);
        await WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>
    /// Stops and deletes throwaway clusters under <paramref name="parent"/> whose owning process is gone
    /// (a test run that was killed never got to stop its server).
    /// </summary>
    public static async Task SweepStaleAsync(string parent, string prefix, ILogger logger)
    {
        if (!Directory.Exists(parent) || FindServerBinaries() is not { } bin)
        {
            return;
        }

        foreach (var root in Directory.GetDirectories(parent, prefix + "*"))
        {
            var ownerFile = Path.Combine(root, OwnerFile);
            if (File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile).Trim(), out var pid) && IsAlive(pid))
            {
                continue;
            }

            var stale = new LocalPostgresCluster(bin, new LocalPostgresOptions(root, Throwaway: true), 0, "", ownsServer: true, logger);
            if (File.Exists(Path.Combine(stale.DataDirectory, "postmaster.pid")))
            {
                logger.LogInformation("Stopping a stale test cluster in {Directory}", root);
                await stale.RunAsync("pg_ctl", ["stop", "-D", stale.DataDirectory, "-m", "immediate", "-w", "-t", "10"], CancellationToken.None);
            }

            TryDelete(root);
        }
    }

    /// <summary>Marks a throwaway cluster as belonging to this process, for <see cref="SweepStaleAsync"/>.</summary>
    public static void MarkOwned(string root) => File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString());

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void PrepareRoot(string root)
    {
        Directory.CreateDirectory(root);
        if (!IsRoot)
        {
            return;
        }

        // The server runs as postgres: it must own the cluster's directory and be able to reach it.
        RunChecked("chown", [$"{ServiceUser}:{ServiceUser}", root]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (RunAs(["test", "-w", root]) != 0)
        {
            throw new LocalPostgresException(
                $"The '{ServiceUser}' user cannot reach {root} (PostgreSQL refuses to run as root, so the server runs as '{ServiceUser}'). " +
                "Choose a data directory whose parent directories it can traverse with Organizer:Database:DataDirectory.");
        }
    }

    private static async Task<string> EnsurePasswordAsync(string root, CancellationToken cancellationToken)
    {
        // Kept outside data/ so it stays this user's file, readable only by them.
        var file = Path.Combine(root, "password");
        if (File.Exists(file))
        {
            return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await File.WriteAllTextAsync(file, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return password;
    }

    private async Task InitAsync(string password, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(Options.RootDirectory, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        if (IsRoot)
        {
            RunChecked("chown", [$"{ServiceUser}:{ServiceUser}", passwordFile]);
        }

        try
        {
            List<string> args =
            [
                "-D", DataDirectory, "-U", "postgres", "--pwfile", passwordFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
            ];
            if (Options.Throwaway)
            {
                args.Add("--no-sync");
            }

            var (code, output) = await RunCapturedAsync("initdb", args, cancellationToken);
            if (code != 0)
            {
                throw new LocalPostgresException($"initdb failed for {DataDirectory} (exit {code}):{Environment.NewLine}{output}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var settings = $"-p {Port} -k {Options.RootDirectory} -c listen_addresses=127.0.0.1";
        if (Options.Throwaway)
        {
            // A test run points many apps at one cluster, each test class's with its own connection pool: room for a
            // few of them at their busiest, beyond the default of 100.
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        }

        var (code, output) = await RunCapturedAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", settings], cancellationToken);
        if (code != 0)
        {
            var log = File.Exists(LogFile) ? string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(20)) : "";
            throw new LocalPostgresException($"pg_ctl could not start PostgreSQL in {DataDirectory} (exit {code}):{Environment.NewLine}{output}{Environment.NewLine}{log}");
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>The port of a running server, from the fourth line of postmaster.pid.</summary>
    private int? RunningPort()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            var lines = File.Exists(pidFile) ? File.ReadAllLines(pidFile) : [];
            return lines.Length > 3 && int.TryParse(lines[3].Trim(), out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<int> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        (await RunCapturedAsync(tool, args, cancellationToken)).ExitCode;

    private async Task<(int ExitCode, string Output)> RunCapturedAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = ServerCommand(Path.Combine(binDirectory, tool), args) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout + await stderr).Trim();
        logger.LogDebug("{Tool} exited {Code}: {Output}", tool, process.ExitCode, output);
        return (process.ExitCode, output);
    }

    private static ProcessStartInfo ServerCommand(string executable, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (IsRoot)
        {
            info.FileName = "runuser";
            foreach (var a in (string[])["-u", ServiceUser, "--", executable])
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info.FileName = executable;
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private static int RunAs(IReadOnlyList<string> command)
    {
        var info = ServerCommand(command[0], command.Skip(1).ToList());
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static void RunChecked(string executable, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new LocalPostgresException($"{executable} {string.Join(' ', args)} failed: {error}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless; the next sweep retries.
        }
    }
}

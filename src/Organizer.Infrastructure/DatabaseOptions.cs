namespace Organizer.Infrastructure;

/// <summary>Settings under <c>Organizer:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Organizer:Database";

    /// <summary>
    /// Where the embedded PostgreSQL cluster keeps its data when no connection string is configured.
    /// Defaults to /var/lib/organizer/postgres as root (the postgres user must reach it) and to
    /// ~/.local/share/organizer/postgres otherwise.
    /// </summary>
    public string? DataDirectory { get; set; }

    public bool MigrateOnStartup { get; set; } = true;

    public bool SeedOnStartup { get; set; } = true;

    public string ResolveDataDirectory() =>
        !string.IsNullOrWhiteSpace(DataDirectory)
            ? Path.GetFullPath(DataDirectory)
            : !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess
                ? "/var/lib/organizer/postgres"
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "organizer", "postgres");
}

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// The connection string in use: the configured one, or the embedded cluster's once it has started.
/// The DbContext reads it lazily because the embedded cluster's port is only known at startup.
/// </summary>
public sealed class DatabaseConnection(string? configured)
{
    private string? value = string.IsNullOrWhiteSpace(configured) ? null : configured;

    public bool IsConfigured { get; } = !string.IsNullOrWhiteSpace(configured);

    public string Value => value ?? throw new InvalidOperationException("The database is not started yet.");

    internal void Set(string connectionString) => value = connectionString;
}

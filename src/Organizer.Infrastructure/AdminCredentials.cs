using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Organizer.Infrastructure;

/// <summary>
/// The admin token: <c>Organizer:AdminToken</c> when configured. With the embedded database and no token configured,
/// one is generated on first run and kept beside the database (readable by this user only); its location is logged.
/// </summary>
public sealed class AdminCredentials(IConfiguration configuration, ILogger<AdminCredentials> logger)
{
    private const string FileName = "admin-token";
    private byte[]? hash = configuration["Organizer:AdminToken"] is { Length: > 0 } configured ? Hash(configured) : null;

    public bool IsConfigured => hash is not null;

    /// <summary>Compares in constant time.</summary>
    public bool Matches(string token) => hash is { } expected && CryptographicOperations.FixedTimeEquals(Hash(token), expected);

    /// <summary>Called at startup with the embedded cluster's directory, when no token is configured.</summary>
    internal void UseGeneratedIn(string directory)
    {
        if (hash is not null)
        {
            return;
        }

        var file = Path.Combine(directory, FileName);
        if (!File.Exists(file))
        {
            var token = "admin." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            File.WriteAllText(file, token + Environment.NewLine);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogWarning("Generated an admin token; it is in {File}. Set Organizer:AdminToken to choose your own.", file);
        }

        hash = Hash(File.ReadAllText(file).Trim());
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

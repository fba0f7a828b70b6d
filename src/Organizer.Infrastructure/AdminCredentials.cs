using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Organizer.Infrastructure;

/// <summary>
/// The admin token: <c>Organizer:AdminToken</c>. With the embedded database and no token configured, one is generated
/// on first run and kept beside the database (readable by this user only); its location is logged, and startup puts
/// it into that setting before the container is built.
/// </summary>
public sealed class AdminCredentials(IConfiguration configuration)
{
    public const string ConfigurationKey = "Organizer:AdminToken";

    private const string FileName = "admin-token";
    private readonly byte[]? hash = configuration[ConfigurationKey] is { Length: > 0 } configured ? Hash(configured) : null;

    public bool IsConfigured => hash is not null;

    /// <summary>Compares in constant time.</summary>
    public bool Matches(string token) => hash is { } expected && CryptographicOperations.FixedTimeEquals(Hash(token), expected);

    /// <summary>The token kept in the embedded cluster's directory, written there on first run.</summary>
    internal static string GeneratedIn(string directory, ILogger logger)
    {
        var file = Path.Combine(directory, FileName);
        if (!File.Exists(file))
        {
            var token = "admin." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            File.WriteAllText(file, token + Environment.NewLine);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            // Information, not a warning: this is a first run going as designed, and operators page on warnings.
            logger.LogInformation("Generated an admin token; it is in {File}. Set Organizer:AdminToken to choose your own.", file);
        }

        return File.ReadAllText(file).Trim();
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

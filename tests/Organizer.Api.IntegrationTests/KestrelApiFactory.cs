namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The same app and settings as <see cref="ApiFactory"/>, served by Kestrel on a free loopback port: for what the
/// in-memory test server does not do (Kestrel's request limits) and for a browser outside the test process.
/// </summary>
public sealed class KestrelApiFactory : ApiFactory
{
    public KestrelApiFactory() => UseKestrel(0);
}

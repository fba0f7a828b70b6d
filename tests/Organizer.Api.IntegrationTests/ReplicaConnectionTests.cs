using Npgsql;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Api.IntegrationTests;

/// <summary>How the replica's connection string becomes one that falls back to the primary.</summary>
public sealed class ReplicaConnectionTests
{
    [Fact]
    public void NoReplicaConfigured_MeansEveryReadOnThePrimary() =>
        Assert.Null(ReplicaConnection.From(null, "Host=db;Database=organizer"));

    [Fact]
    public void TheReplicaComesFirst_ThenThePrimary_EachWithItsOwnPort_PreferringAStandby()
    {
        var reads = new NpgsqlConnectionStringBuilder(ReplicaConnection.From(
            "Host=replica;Port=5433;Database=organizer;Username=app;Password=secret",
            "Host=primary;Port=5432;Database=organizer;Username=app;Password=secret")!.ConnectionString);

        Assert.Equal("replica:5433,primary:5432", reads.Host);
        Assert.Equal("prefer-standby", reads.TargetSessionAttributes);
        Assert.Equal(2, reads.HostRecheckSeconds);
        Assert.Equal("organizer", reads.Database);
        Assert.Equal("secret", reads.Password);
    }

    [Theory]
    [InlineData("Host=::1;Port=5433", "Host=[fd00::2]:5432", "[::1]:5433,[fd00::2]:5432")]
    [InlineData("Host=[::1];Port=5433", "Host=10.0.0.2:6432", "[::1]:5433,10.0.0.2:6432")]
    public void IPv6Hosts_KeepTheirPorts(string replica, string primary, string expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(ReplicaConnection.From(replica, primary)!.ConnectionString).Host);

    [Fact]
    public void AReplicaStringThatChoosesItsOwnHostsAndSessionAttributes_IsUsedAsItIs()
    {
        var own = "Host=r1:5433,r2:5433;Target Session Attributes=standby;Database=organizer";
        var reads = new NpgsqlConnectionStringBuilder(ReplicaConnection.From(own, "Host=primary;Database=organizer")!.ConnectionString);

        Assert.Equal("r1:5433,r2:5433", reads.Host);
        Assert.Equal("standby", reads.TargetSessionAttributes);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using OrleansDynamo.Storage.Postgres;

namespace OrleansDynamo.Storage.Tests.Postgres;

/// <summary>Orleans' own ADO.NET membership table, driven call by call against our clustering SQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMembershipTableTests(PostgresFixture postgres)
{
    private static readonly DateTime Start = new(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    [Fact]
    public async Task Membership_rows_follow_the_table_version_protocol()
    {
        var table = await CreateTableAsync();
        await table.InitializeMembershipTableAsync(true);
        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);

        var silo = Entry(SiloAddress.New(IPAddress.Loopback, 11111, 1), SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(silo, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(silo, empty.Version.Next())); // the version moved on
        var afterInsert = await table.ReadAllAsync();
        Assert.False(await table.InsertRowAsync(silo, afterInsert.Version.Next())); // the silo has a row already

        var (stored, etag) = Assert.Single(afterInsert.Members);
        Assert.Equal(silo.SiloAddress, stored.SiloAddress);
        Assert.Equal(("silo", "host", SiloStatus.Joining, 30000, Start), (stored.SiloName, stored.HostName, stored.Status, stored.ProxyPort, stored.StartTime));

        var suspecter = SiloAddress.New(IPAddress.Loopback, 22222, 2);
        silo.Status = SiloStatus.Active;
        silo.SuspectTimes = [Tuple.Create(suspecter, Start.AddMinutes(1))];
        Assert.False(await table.UpdateRowAsync(silo, etag, empty.Version.Next()));
        Assert.True(await table.UpdateRowAsync(silo, etag, afterInsert.Version.Next()));
        var missing = Entry(SiloAddress.New(IPAddress.Loopback, 33333, 3), SiloStatus.Active);
        var afterUpdate = await table.ReadAllAsync();
        Assert.False(await table.UpdateRowAsync(missing, etag, afterUpdate.Version.Next()));
        Assert.Equal(afterUpdate.Version.Version, (await table.ReadAllAsync()).Version.Version); // the failed update left no trace

        var read = Assert.Single((await table.ReadRowAsync(silo.SiloAddress)).Members).Item1;
        Assert.Equal(SiloStatus.Active, read.Status);
        Assert.Equal(suspecter, Assert.Single(read.SuspectTimes ?? []).Item1);

        silo.IAmAliveTime = Start.AddMinutes(5);
        await table.UpdateIAmAliveAsync(silo);
        silo.IAmAliveTime = Start.AddMinutes(4); // a late heartbeat never moves liveness back
        await table.UpdateIAmAliveAsync(silo);
        Assert.Equal(Start.AddMinutes(5), Assert.Single((await table.ReadRowAsync(silo.SiloAddress)).Members).Item1.IAmAliveTime);
    }

    [Fact]
    public async Task Only_long_dead_silos_are_cleaned_up()
    {
        var table = await CreateTableAsync();
        await table.InitializeMembershipTableAsync(true);
        var dead = Entry(SiloAddress.New(IPAddress.Loopback, 11111, 1), SiloStatus.Dead);
        var active = Entry(SiloAddress.New(IPAddress.Loopback, 11112, 1), SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(dead, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(active, (await table.ReadAllAsync()).Version.Next()));

        await table.CleanupDefunctSiloEntriesAsync(Start.AddHours(1));

        var remaining = Assert.Single((await table.ReadAllAsync()).Members).Item1;
        Assert.Equal(active.SiloAddress, remaining.SiloAddress);

        await table.DeleteMembershipTableEntriesAsync(ClusterId(table));
        await table.InitializeMembershipTableAsync(true);
        Assert.Empty((await table.ReadAllAsync()).Members);
    }

    private readonly Dictionary<AdoNetClusteringTable, string> _clusterIds = [];

    private string ClusterId(AdoNetClusteringTable table) => _clusterIds[table];

    private async Task<AdoNetClusteringTable> CreateTableAsync()
    {
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N");
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "odyn-tests" }),
            Options.Create(new AdoNetClusteringSiloOptions
            {
                Invariant = PostgresSiloBuilderExtensions.AdoNetInvariant,
                ConnectionString = await postgres.SharedMigratedDatabaseAsync("membership"),
            }),
            NullLogger<AdoNetClusteringTable>.Instance);
        _clusterIds[table] = clusterId;
        return table;
    }

    private static MembershipEntry Entry(SiloAddress address, SiloStatus status) => new()
    {
        SiloAddress = address,
        SiloName = "silo",
        HostName = "host",
        Status = status,
        ProxyPort = 30000,
        StartTime = Start,
        IAmAliveTime = Start,
    };
}

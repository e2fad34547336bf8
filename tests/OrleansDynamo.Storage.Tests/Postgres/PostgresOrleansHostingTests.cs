using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Storage.Postgres;

namespace OrleansDynamo.Storage.Tests.Postgres;

/// <summary>
/// A real silo on a fresh database: it migrates the schema itself, joins the cluster through Orleans'
/// ADO.NET clustering and keeps metadata grains in Orleans' ADO.NET grain storage, all on our SQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOrleansHostingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Metadata_grain_state_survives_a_silo_restart()
    {
        var database = await postgres.CreateDatabaseAsync("silo_restart");
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N");

        using (var host = await StartSiloAsync(database, clusterId))
        {
            await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICatalogGrain>(0).Add("orders");
            Assert.Equal(1, await ActiveSilosAsync(database, clusterId));
            await host.StopAsync();
        }

        using (var host = await StartSiloAsync(database, clusterId))
        {
            var tables = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICatalogGrain>(0).List(null, 10);
            Assert.Equal(["orders"], tables.TableNames);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Grain_storage_detects_a_stale_etag_and_clears_state()
    {
        var database = await postgres.CreateDatabaseAsync("grain_storage");
        using var host = await StartSiloAsync(database, "cluster-" + Guid.NewGuid().ToString("N"));
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(OrleansDynamoOptions.MetadataStorageName);
        var grainId = GrainId.Create("odyn-test", "a-string-key");

        var first = new GrainState<List<string>>([]);
        await storage.ReadStateAsync("odyn-test", grainId, first);
        Assert.False(first.RecordExists);
        first.State = ["one"];
        await storage.WriteStateAsync("odyn-test", grainId, first);

        var second = new GrainState<List<string>>([]);
        await storage.ReadStateAsync("odyn-test", grainId, second);
        Assert.Equal(["one"], second.State);
        second.State = ["two"];
        await storage.WriteStateAsync("odyn-test", grainId, second);

        first.State = ["stale"];
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("odyn-test", grainId, first));
        var fresh = new GrainState<List<string>>([]);
        await storage.ReadStateAsync("odyn-test", grainId, fresh);
        Assert.Equal(["two"], fresh.State);

        // A second activation writing as if the grain were new loses too.
        var duplicate = new GrainState<List<string>>(["duplicate"]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("odyn-test", grainId, duplicate));

        await storage.ClearStateAsync("odyn-test", grainId, second);
        var cleared = new GrainState<List<string>>([]);
        await storage.ReadStateAsync("odyn-test", grainId, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Empty(cleared.State ?? []);

        await host.StopAsync();
    }

    private static async Task<IHost> StartSiloAsync(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseOrleansDynamoPostgresClustering(connectionString)
            .Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = "odyn-tests"; })
            .ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort())
            .AddOrleansDynamo()
            .AddOrleansDynamoPostgres(connectionString));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<long> ActiveSilosAsync(string connectionString, string clusterId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

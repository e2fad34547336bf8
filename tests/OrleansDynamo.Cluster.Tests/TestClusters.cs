using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansDynamo.Hosting;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>In-process clusters whose silos share one partition store, as they would share PostgreSQL.</summary>
public static class TestClusters
{
    public static async Task<InProcessTestCluster> StartAsync(short silos, Action<OrleansDynamoOptions> configure, Action<ISiloBuilder>? silo = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        // A partition may activate (or move) to any silo, so its items must not live in one silo's memory.
        var store = new MemoryPartitionStore();
        builder.ConfigureSilo((_, siloBuilder) =>
        {
            siloBuilder.Services.AddSingleton<IPartitionStore>(store);
            siloBuilder.AddOrleansDynamo(configure);
            silo?.Invoke(siloBuilder);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

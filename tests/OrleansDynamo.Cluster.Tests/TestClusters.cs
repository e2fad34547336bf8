using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansDynamo.Hosting;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>In-process clusters whose silos share one partition store and one grain storage, as they would share PostgreSQL.</summary>
public static class TestClusters
{
    public static async Task<InProcessTestCluster> StartAsync(short silos, Action<OrleansDynamoOptions> configure, Action<ISiloBuilder>? silo = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        // A partition may activate (or move) to any silo, so its items must not live in one silo's memory.
        var store = new MemoryPartitionStore();
        // Table metadata and handler checkpoints outlive a silo, as in PostgreSQL.
        var states = new ConcurrentDictionary<string, byte[]>();
        builder.ConfigureSilo((_, siloBuilder) =>
        {
            siloBuilder.Services.AddSingleton<IPartitionStore>(store);
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(OrleansDynamoOptions.MetadataStorageName,
                (services, _) => new SharedGrainStorage(states, services.GetRequiredService<Serializer>()));
            siloBuilder.AddOrleansDynamo(configure);
            silo?.Invoke(siloBuilder);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansDynamo.Placement;
using OrleansDynamo.Client.Hosting;
using OrleansDynamo.Storage;
using OrleansDynamo.Tables;

namespace OrleansDynamo.Hosting;

public static class OrleansDynamoSiloBuilderExtensions
{
    /// <summary>
    /// Hosts the OrleansDynamo grains (catalog, tables, partitions) in this silo. Without a partition
    /// store or metadata storage registered elsewhere, both are kept in memory. Registers
    /// <see cref="Operations.IDynamoDb"/> over this silo's grain factory, so the silo's own grains (and an
    /// HTTP endpoint in the same host) call tables in-process through the same API as an Orleans client.
    /// </summary>
    public static ISiloBuilder AddOrleansDynamo(this ISiloBuilder builder, Action<OrleansDynamoOptions>? configure = null)
    {
        builder.Services.AddOptions<OrleansDynamoOptions>().Configure(options => configure?.Invoke(options));
        builder.Services.TryAddSingleton<IPartitionStore, MemoryPartitionStore>();
        builder.Services.TryAddSingleton<OrleansDynamoClock>();
        // A memory store holds everything already: caching its items again would only double the memory.
        builder.Services.TryAddSingleton(services => new ItemCache(services.GetRequiredService<IPartitionStore>() is MemoryPartitionStore
            ? 0
            : (long)(services.GetRequiredService<IOptions<OrleansDynamoOptions>>().Value.CacheBytes
                * services.GetRequiredService<IOptions<OrleansDynamoOptions>>().Value.ItemCacheShare)));
        if (!builder.Services.Any(s => s.IsKeyedService && Equals(s.ServiceKey, OrleansDynamoOptions.MetadataStorageName)))
            builder.AddMemoryGrainStorage(OrleansDynamoOptions.MetadataStorageName);
        builder.Services.AddOrleansDynamoClient();
        AddPartitionRebalancer(builder.Services);
        builder.Services.TryAddSingleton<TableRecovery>();
        builder.AddStartupTask((services, _) => services.GetRequiredService<TableRecovery>().StartAsync());
        builder.Services.TryAddSingleton<SpaceCleaner>();
        builder.AddStartupTask((services, _) => services.GetRequiredService<SpaceCleaner>().StartAsync());
        return builder;
    }

    /// <summary>Evens out partitions over the silos (<see cref="PartitionRebalancerOptions"/>), once per silo.</summary>
    private static void AddPartitionRebalancer(IServiceCollection services)
    {
        services.AddOptions<PartitionRebalancerOptions>();
        if (services.Any(s => s.ServiceType == typeof(PartitionRebalancer))) return;
        services.AddSingleton<PartitionRebalancer>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<PartitionRebalancer>());
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Hosting;

public static class OrleansDynamoSiloBuilderExtensions
{
    /// <summary>
    /// Hosts the OrleansDynamo grains (catalog, tables, partitions) in this silo. Without a partition
    /// store or metadata storage registered elsewhere, both are kept in memory.
    /// </summary>
    public static ISiloBuilder AddOrleansDynamo(this ISiloBuilder builder, Action<OrleansDynamoOptions>? configure = null)
    {
        builder.Services.AddOptions<OrleansDynamoOptions>().Configure(options => configure?.Invoke(options));
        builder.Services.TryAddSingleton<IPartitionStore, MemoryPartitionStore>();
        if (!builder.Services.Any(s => s.IsKeyedService && Equals(s.ServiceKey, OrleansDynamoOptions.MetadataStorageName)))
            builder.AddMemoryGrainStorage(OrleansDynamoOptions.MetadataStorageName);
        return builder;
    }
}

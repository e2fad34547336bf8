using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansDynamo.Hosting;

namespace OrleansDynamo.Storage.Embedded;

public static class EmbeddedStorageSiloBuilderExtensions
{
    /// <summary>
    /// Keeps items and table metadata in an embedded RocksDB database under <paramref name="dataDirectory"/>:
    /// crash-safe and durable on one machine. Call before or after <c>AddOrleansDynamo</c>.
    /// </summary>
    public static ISiloBuilder AddOrleansDynamoEmbeddedStorage(this ISiloBuilder builder, string dataDirectory)
    {
        // RocksDB's block cache takes half of the silo's cache budget; the item cache has the other half.
        builder.Services.PostConfigure<OrleansDynamoOptions>(options => options.ItemCacheShare = 0.5);
        builder.Services.AddSingleton(services =>
            new EmbeddedDatabase(dataDirectory, services.GetRequiredService<IOptions<OrleansDynamoOptions>>().Value.CacheBytes / 2));
        builder.Services.RemoveAll<IPartitionStore>();
        builder.Services.AddSingleton<IPartitionStore, EmbeddedPartitionStore>();
        // Open the database (replaying its log, converting data of the first layout) while the silo starts,
        // so that the first request after a restart finds it open.
        builder.AddStartupTask((services, _) =>
        {
            services.GetRequiredService<IPartitionStore>();
            return Task.CompletedTask;
        }, ServiceLifecycleStage.RuntimeInitialize);
        builder.Services.AddKeyedSingleton<IGrainStorage>(OrleansDynamoOptions.MetadataStorageName, (services, _) =>
            new EmbeddedGrainStorage(OrleansDynamoOptions.MetadataStorageName,
                services.GetRequiredService<EmbeddedDatabase>(), services.GetRequiredService<Serializer>()));
        return builder;
    }
}

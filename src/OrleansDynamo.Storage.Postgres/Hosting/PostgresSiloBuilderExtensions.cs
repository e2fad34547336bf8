using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansDynamo.Hosting;

namespace OrleansDynamo.Storage.Postgres;

public static class PostgresSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant under which Orleans' providers load Npgsql.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>Service key of the <see cref="NpgsqlDataSource"/> that the partition store uses.</summary>
    public const string DataSourceKey = "odyn-postgres";

    /// <summary>
    /// Keeps items (<see cref="PostgresPartitionStore"/>) and table metadata (Orleans ADO.NET grain storage
    /// named <see cref="OrleansDynamoOptions.MetadataStorageName"/>) in PostgreSQL. The silo migrates the
    /// database when it starts (<see cref="PostgresMigrator"/>) and converts items of the old storage layout
    /// (<see cref="PostgresLegacyMigration"/>). Call before or after <c>AddOrleansDynamo</c>.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Database=odyn;Username=odyn;Password=...</c>.</param>
    public static ISiloBuilder AddOrleansDynamoPostgres(this ISiloBuilder builder, string connectionString)
    {
        Validate(connectionString);
        var services = builder.Services;
        AddSchemaStartup(services, connectionString);

        services.RemoveAllKeyed<NpgsqlDataSource>(DataSourceKey);
        services.AddKeyedSingleton(DataSourceKey, (_, _) => NpgsqlDataSource.Create(connectionString));
        services.RemoveAll<IPartitionStore>();
        services.AddSingleton<IPartitionStore>(sp => new RetryingPartitionStore(new PostgresPartitionStore(sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey))));

        // Replace any metadata storage registered before (AddOrleansDynamo's in-memory default).
        services.RemoveAllKeyed<IGrainStorage>(OrleansDynamoOptions.MetadataStorageName);
        builder.AddAdoNetGrainStorage(OrleansDynamoOptions.MetadataStorageName, options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        // Metadata types are Orleans wire types ([GenerateSerializer]); store them in that form, as the
        // embedded store does, rather than through JSON that cannot rebuild records and read-only lists.
        services.AddOptions<AdoNetGrainStorageOptions>(OrleansDynamoOptions.MetadataStorageName)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        return builder;
    }

    /// <summary>
    /// Uses PostgreSQL for cluster membership (Orleans ADO.NET clustering). The silo migrates the database
    /// before membership starts, so the membership tables exist on a fresh database.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string; usually the same as for <see cref="AddOrleansDynamoPostgres"/>.</param>
    public static ISiloBuilder UseOrleansDynamoPostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        Validate(connectionString);
        AddSchemaStartup(builder.Services, connectionString);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
    }

    private static void Validate(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Not a valid PostgreSQL connection string: {e.Message}", nameof(connectionString));
        }
    }

    /// <summary>Migrates each database once per silo start, however many extensions name it.</summary>
    private static void AddSchemaStartup(IServiceCollection services, string connectionString)
    {
        var marker = new SchemaTarget(connectionString);
        if (services.Any(d => !d.IsKeyedService && marker.Equals(d.ImplementationInstance))) return;
        services.AddSingleton(marker);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new PostgresSchemaStartup(connectionString,
            sp.GetService<IOptions<OrleansDynamoPostgresOptions>>()?.Value.StartupWait ?? TimeSpan.Zero, sp.GetRequiredService<ILoggerFactory>()));
    }

    private sealed record SchemaTarget(string ConnectionString);

    private static void RemoveAllKeyed<T>(this IServiceCollection services, string key)
    {
        for (var i = services.Count - 1; i >= 0; i--)
            if (services[i].IsKeyedService && services[i].ServiceType == typeof(T) && Equals(services[i].ServiceKey, key))
                services.RemoveAt(i);
    }
}

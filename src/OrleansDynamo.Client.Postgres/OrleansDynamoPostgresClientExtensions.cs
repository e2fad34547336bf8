namespace OrleansDynamo.Client.Hosting;

/// <summary>Orleans clients of OrleansDynamo silos whose membership is in PostgreSQL (the server's <c>--cluster postgres</c>).</summary>
public static class OrleansDynamoPostgresClientExtensions
{
    /// <summary>The ADO.NET invariant of the PostgreSQL provider (Npgsql), as the server's silos use it.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Connects this Orleans client to OrleansDynamo silos that keep their membership in PostgreSQL: gateways are
    /// found in the membership table, so silos can come and go. Registers <see cref="Operations.IDynamoDb"/>.
    /// </summary>
    public static IClientBuilder UseOrleansDynamoPostgresClustering(this IClientBuilder builder, string connectionString,
        Action<OrleansDynamoClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresInvariant;
            options.ConnectionString = connectionString;
        });
        return builder.UseOrleansDynamoCluster(configure);
    }
}

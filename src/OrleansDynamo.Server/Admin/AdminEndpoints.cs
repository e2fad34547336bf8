using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using Orleans.Diagnostics;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Placement;
using OrleansDynamo.Server.WebConsole;
using OrleansDynamo.Server.Protocol;

namespace OrleansDynamo.Server.Admin;

/// <summary>
/// Operator endpoints beside the DynamoDB API, on every silo's admin port: <c>/admin/...</c>, <c>/metrics</c>
/// (Prometheus), <c>/health/live</c> and <c>/health/ready</c>, and with <c>--dashboard</c> the Orleans Dashboard at <c>/dashboard</c>.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>The paths the admin port serves, and the DynamoDB port does not.</summary>
    public static bool IsAdminPath(PathString path) =>
        path.StartsWithSegments("/admin") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/dashboard") || IsHealthPath(path)
        || ConsoleEndpoints.IsConsolePath(path);

    /// <summary>Probes: answered without a signature even where the admin port needs one, as orchestrators cannot sign.</summary>
    public static bool IsHealthPath(PathString path) => path.StartsWithSegments("/health");

    /// <summary>Paths that need no SigV4 signature beyond loopback: probes, and the console, which signs in its own way.</summary>
    public static bool IsUnsignedPath(PathString path) => IsHealthPath(path) || ConsoleEndpoints.IsConsolePath(path);

    /// <summary>
    /// The health checks behind the admin endpoints, and OpenTelemetry as the options say: metrics scraped by Prometheus
    /// (and sent over OTLP with <c>--otlp-endpoint</c>); with <c>--tracing on</c>, spans from ASP.NET Core, Orleans' grain
    /// calls, the store commit and (on PostgreSQL) its SQL commands, sent over OTLP.
    /// </summary>
    internal static IServiceCollection AddAdmin(this IServiceCollection services, ServerOptions options)
    {
        services.AddHealthChecks().AddCheck<ReadinessCheck>("orleansdynamo", tags: [ReadyTag]);
        services.AddSingleton(provider => new ConsoleSessions(TimeProvider.System));
        var telemetry = services.AddOpenTelemetry();
        if (options.MetricsOn)
            telemetry.WithMetrics(metrics =>
            {
                // .NET's own runtime meter too: GC heap, committed memory, allocations, thread pool, for bounding what clients cost.
                metrics.AddMeter(OrleansDynamoTelemetry.Name, "System.Runtime")
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0); // every scrape sees now
                if (options.OtlpEndpoint is { } endpoint) metrics.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint));
            });
        if (options.TracingOn)
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(OrleansDynamoTelemetry.Name, ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.RuntimeActivitySourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddNpgsql();
                if (options.OtlpEndpoint is { } endpoint) tracing.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint));
            });
        return services;
    }

    private const string ReadyTag = "ready";

    /// <summary>
    /// <c>GET /admin/partitions</c>: active partitions per silo, as JSON <c>{"127.0.0.1:11111@5551212": 6, ...}</c>;
    /// every active silo is listed, also with 0.
    /// </summary>
    internal static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints, ServerOptions options)
    {
        endpoints.MapGet("/admin/partitions", WritePartitionsAsync);
        endpoints.MapGet("/admin/partitions/map", WritePartitionMapAsync);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        if (options.MetricsOn) endpoints.MapPrometheusScrapingEndpoint("/metrics");
        if (options.Dashboard) endpoints.MapOrleansDashboard("/dashboard");
        endpoints.MapConsole(options);
        return endpoints;
    }

    private static async Task WritePartitionsAsync(HttpContext context)
    {
        var census = await PartitionCensus.TakeAsync(context.RequestServices.GetRequiredService<IGrainFactory>());
        var counts = census
            .OrderBy(c => c.Key.ToParsableString(), StringComparer.Ordinal)
            .ToDictionary(c => c.Key.ToParsableString(), c => c.Value.Count);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, counts, AdminJson.Default.DictionaryStringInt32, context.RequestAborted);
    }

    /// <summary>
    /// <c>GET /admin/partitions/map</c>: every active table partition with its silo, items, bytes and requests admitted
    /// since activation (a rate is the change between two calls), as a JSON array.
    /// </summary>
    private static async Task WritePartitionMapAsync(HttpContext context)
    {
        await JsonSerializer.SerializeAsync(context.Response.Body, await PartitionMapAsync(context.RequestServices.GetRequiredService<IGrainFactory>()),
            AdminJson.Default.ListPartitionMapEntry, context.RequestAborted);
    }

    internal static async Task<List<PartitionMapEntry>> PartitionMapAsync(IGrainFactory grains)
    {
        var census = await PartitionCensus.TakeAsync(grains);
        var entries = census.SelectMany(silo => silo.Value.Select(async partition =>
        {
            var key = partition.Key.ToString()!;
            var (table, _, partitionId) = PartitionKey.Parse(key);
            var stats = await grains.GetGrain<IPartitionGrain>(key).GetStats();
            return new PartitionMapEntry(silo.Key.ToParsableString(), table, partitionId, stats.ItemCount, stats.SizeBytes, stats.Requests);
        }));
        return (await Task.WhenAll(entries)).OrderBy(e => e.Table, StringComparer.Ordinal).ThenBy(e => e.Partition).ToList();
    }
}

/// <summary>One row of the partition map.</summary>
internal sealed record PartitionMapEntry(string Silo, string Table, int Partition, long Items, long Bytes, long Requests);

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, int>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<PartitionMapEntry>))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class AdminJson : System.Text.Json.Serialization.JsonSerializerContext;

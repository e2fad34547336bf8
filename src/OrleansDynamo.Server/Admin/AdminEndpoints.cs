using System.Text.Json;
using OrleansDynamo.Placement;

namespace OrleansDynamo.Server.Admin;

/// <summary>Operator endpoints beside the DynamoDB API, on every silo.</summary>
public static class AdminEndpoints
{
    /// <summary>
    /// <c>GET /admin/partitions</c>: active partitions per silo, as JSON <c>{"127.0.0.1:11111@5551212": 6, ...}</c>;
    /// every active silo is listed, also with 0.
    /// </summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/partitions", WritePartitionsAsync);
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
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class AdminJson : System.Text.Json.Serialization.JsonSerializerContext;

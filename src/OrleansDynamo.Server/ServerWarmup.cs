using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;

namespace OrleansDynamo.Server;

/// <summary>
/// What the server does before it says it listens: every table and its partitions are activated (maps,
/// epochs and counters read from the store, nothing proportional to the data), and one GetItem goes through
/// the whole HTTP path, so that the first client request after a start or a crash pays for neither. Best
/// effort and bounded in time: the server announces itself when done or when the budget is spent.
/// </summary>
internal static class ServerWarmup
{
    private const int MaxTables = 1000;

    public static async Task RunAsync(WebApplication app, TimeSpan budget)
    {
        using var cancel = new CancellationTokenSource(budget);
        try
        {
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            TableInfo? first = null;
            string? start = null;
            var seen = 0;
            do
            {
                var page = await grains.GetGrain<ICatalogGrain>(0).List(start, 100).WaitAsync(cancel.Token);
                foreach (var name in page.TableNames)
                {
                    var table = await grains.GetGrain<ITableGrain>(name).GetInfo().WaitAsync(cancel.Token);
                    await Task.WhenAll(table.Map.Ranges.Select(r =>
                        grains.GetGrain<IPartitionGrain>(PartitionKey.Format(table.TableName, table.Incarnation, r.PartitionId)).GetStats())).WaitAsync(cancel.Token);
                    first ??= table;
                }
                seen += page.TableNames.Count;
                start = page.LastEvaluatedTableName;
            } while (start is not null && seen < MaxTables);

            using var http = new HttpClient { BaseAddress = ServerHost.GetEndpoint(app) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/")
            {
                Content = new StringContent(first is null ? """{"TableName":"odyn-warmup"}""" : GetItemBody(first), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
            request.Headers.Add("X-Amz-Target", first is null ? "DynamoDB_20120810.DescribeTable" : "DynamoDB_20120810.GetItem");
            using var _ = await http.SendAsync(request, cancel.Token);
        }
        catch (Exception)
        {
            // Only a warm-up: whatever failed here, a real request does again and reports.
        }
    }

    /// <summary>A GetItem of a key no one is likely to have written, with values of the table's key types.</summary>
    private static string GetItemBody(TableInfo table)
    {
        var key = table.Schema.KeyAttributes.ToDictionary(k => k.Name, k => k.Type switch
        {
            AttributeType.N => new Dictionary<string, string> { ["N"] = "0" },
            AttributeType.B => new Dictionary<string, string> { ["B"] = Convert.ToBase64String("odyn-warmup"u8) },
            _ => new Dictionary<string, string> { ["S"] = "odyn-warmup" },
        });
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["TableName"] = table.TableName, ["Key"] = key });
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Model;
using OrleansDynamo.Tables;

namespace OrleansDynamo.Server;

/// <summary>
/// What the server does before it says it listens: it waits for the silo's table recovery (every table and
/// partition activated, see <see cref="TableRecovery"/>), then sends one GetItem through its own HTTP path,
/// so that the first client request after a start or a crash pays neither for activation nor for the first
/// compilation of the request path. Best effort and bounded in time.
/// </summary>
internal static class ServerWarmup
{
    public static async Task RunAsync(WebApplication app, TimeSpan budget)
    {
        using var cancel = new CancellationTokenSource(budget);
        try
        {
            var recovery = app.Services.GetRequiredService<TableRecovery>();
            await recovery.Completed.WaitAsync(cancel.Token);
            var table = recovery.FirstTable;
            using var http = new HttpClient { BaseAddress = ServerHost.GetEndpoint(app) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/")
            {
                Content = new StringContent(table is null ? """{"TableName":"odyn-warmup"}""" : GetItemBody(table), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
            request.Headers.Add("X-Amz-Target", table is null ? "DynamoDB_20120810.DescribeTable" : "DynamoDB_20120810.GetItem");
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

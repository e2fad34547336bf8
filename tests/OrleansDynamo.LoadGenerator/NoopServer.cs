using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// The limit a DynamoDB server can reach on this machine: Kestrel reading each request whole and answering it with a
/// constant, well-formed DynamoDB response of the right size (an item of about 1 KB for GetItem, ten for Query, a
/// hundred and a LastEvaluatedKey for Scan, an empty answer for writes). No parsing, no storage.
/// <code>noop [--port 8000]</code>
/// </summary>
public static class NoopServer
{
    private const string TargetPrefix = "DynamoDB_20120810.";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var port = args.Int("port", 8000);
        args.ThrowOnUnknown();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var answers = Answers();
        var unknown = Encoding.UTF8.GetBytes("""{"__type":"com.amazonaws.dynamodb.v20120810#UnknownOperationException"}""");
        app.Run(async context =>
        {
            await DrainAsync(context.Request);
            var target = context.Request.Headers["X-Amz-Target"].ToString();
            var known = answers.TryGetValue(target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : "", out var body);
            context.Response.StatusCode = known ? 200 : 400;
            context.Response.ContentType = "application/x-amz-json-1.0";
            body = known ? body! : unknown;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"noop listening on http://127.0.0.1:{port}"));
        await app.RunAsync();
        return 0;
    }

    /// <summary>Reads the body to its end, as a server must before it answers.</summary>
    private static async Task DrainAsync(HttpRequest request)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await request.Body.ReadAsync(buffer) > 0) { }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Dictionary<string, byte[]> Answers()
    {
        var random = new Random(1);
        Dictionary<string, object> Item(int n) => new()
        {
            ["pk"] = new { S = BenchTable.PartitionKey(n / BenchTable.ItemsPerKey) },
            ["sk"] = new { N = (n % BenchTable.ItemsPerKey).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["ver"] = new { N = "0" },
            ["f1"] = new { S = BenchTable.Text(random, BenchTable.F1Bytes) },
            ["data"] = new { S = BenchTable.Text(random, BenchTable.DataBytes) },
        };
        var table = new
        {
            TableName = "bench", TableStatus = "ACTIVE", ItemCount = 0, TableSizeBytes = 0, CreationDateTime = 1.7e9,
            KeySchema = new object[] { new { AttributeName = "pk", KeyType = "HASH" }, new { AttributeName = "sk", KeyType = "RANGE" } },
            AttributeDefinitions = new object[] { new { AttributeName = "pk", AttributeType = "S" }, new { AttributeName = "sk", AttributeType = "N" } },
            BillingModeSummary = new { BillingMode = "PAY_PER_REQUEST" },
        };
        var answers = new Dictionary<string, object>
        {
            ["GetItem"] = new { Item = Item(0) },
            ["PutItem"] = new { },
            ["UpdateItem"] = new { },
            ["DeleteItem"] = new { },
            ["BatchWriteItem"] = new { UnprocessedItems = new { } },
            ["Query"] = new { Count = 10, ScannedCount = 10, Items = Enumerable.Range(0, 10).Select(Item).ToArray() },
            ["Scan"] = new
            {
                Count = 100, ScannedCount = 100, Items = Enumerable.Range(0, 100).Select(Item).ToArray(),
                LastEvaluatedKey = new Dictionary<string, object> { ["pk"] = new { S = "user9" }, ["sk"] = new { N = "9" } },
            },
            ["DescribeTable"] = new { Table = table },
            ["CreateTable"] = new { TableDescription = table },
        };
        return answers.ToDictionary(a => a.Key, a => JsonSerializer.SerializeToUtf8Bytes(a.Value));
    }
}

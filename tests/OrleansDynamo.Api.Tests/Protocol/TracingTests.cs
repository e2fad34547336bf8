using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>
/// With <c>--tracing on</c>, one PutItem is one trace: the HTTP request's span, the grain call's (Orleans activity
/// propagation) and the store commit's, all under the trace id the caller sent in <c>traceparent</c>; on PostgreSQL
/// the commit's SQL commands too (Npgsql's own spans).
/// </summary>
public sealed class TracingTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task A_request_is_one_trace_from_HTTP_through_the_grain_call_to_the_store_commit()
    {
        var (trace, names) = await TracePutItemAsync("--in-memory");
        Assert.Contains(trace, span => span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server);
        Assert.True(trace.Any(span => span.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && span.DisplayName.Contains("PutItem")),
            $"no grain call span for PutItem in: {names}");
        Assert.True(trace.Any(IsStoreCommit), $"no store commit span in: {names}");
    }

    [Fact]
    public async Task On_PostgreSQL_the_store_commit_span_holds_the_SQL_commands_it_ran()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var (trace, names) = await TracePutItemAsync("--storage", "postgres", "--postgres", await postgres.CreateDatabaseAsync("traced"));
        var commit = trace.Single(IsStoreCommit);
        var sql = trace.Where(span => span.Source.Name == "Npgsql").ToList();
        Assert.True(sql.Count > 0, $"no Npgsql span in: {names}");
        Assert.Contains(sql, span => span.ParentSpanId == commit.SpanId);
    }

    /// <summary>Creates a table on a fresh server started with <paramref name="storage"/>, then returns the spans of one traced PutItem.</summary>
    private static async Task<(List<Activity> Trace, string Names)> TracePutItemAsync(params string[] storage)
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "OrleansDynamo" or "Microsoft.AspNetCore" or "Npgsql" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--admin-port", "0", "--tracing", "on", .. storage]);
        await app.StartAsync();
        try
        {
            var endpoint = ServerHost.GetEndpoint(app);
            using var create = TestSigner.Post(endpoint, "DynamoDB_20120810.CreateTable", """
                {"TableName": "traced", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}
                """);
            Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(create)).StatusCode);

            var traceId = ActivityTraceId.CreateRandom();
            using var put = TestSigner.Post(endpoint, "DynamoDB_20120810.PutItem", """{"TableName": "traced", "Item": {"pk": {"S": "k"}}}""");
            put.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            Assert.Equal(HttpStatusCode.OK, (await Http.SendAsync(put)).StatusCode);

            List<Activity> trace = [];
            for (var waited = 0; waited < 50 && !trace.Any(IsStoreCommit); waited++, await Task.Delay(100))
                trace = spans.Where(span => span.TraceId == traceId).ToList();
            return (trace, string.Join(", ", trace.Select(span => $"{span.Source.Name}: {span.DisplayName}")));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static bool IsStoreCommit(Activity span) => span.Source.Name == "OrleansDynamo" && span.DisplayName == "store commit";
}

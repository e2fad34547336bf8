using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>
/// With <c>--tracing on</c>, one PutItem is one trace: the HTTP request's span, the grain call's (Orleans activity
/// propagation) and the store commit's, all under the trace id the caller sent in <c>traceparent</c>.
/// </summary>
public sealed class TracingTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task A_request_is_one_trace_from_HTTP_through_the_grain_call_to_the_store_commit()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "OrleansDynamo" or "Microsoft.AspNetCore" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--admin-port", "0", "--in-memory", "--tracing", "on"]);
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
            var names = string.Join(", ", trace.Select(span => $"{span.Source.Name}: {span.DisplayName}"));
            Assert.Contains(trace, span => span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server);
            Assert.True(trace.Any(span => span.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && span.DisplayName.Contains("PutItem")),
                $"no grain call span for PutItem in: {names}");
            Assert.True(trace.Any(IsStoreCommit), $"no store commit span in: {names}");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static bool IsStoreCommit(Activity span) => span.Source.Name == "OrleansDynamo" && span.DisplayName == "store commit";
}

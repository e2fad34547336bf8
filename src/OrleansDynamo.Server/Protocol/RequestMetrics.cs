using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// The DynamoDB endpoint's metrics, on the <c>OrleansDynamo</c> meter (scraped at <c>/metrics</c> on the admin port):
/// requests by operation and table, their duration by operation, and errors by DynamoDB error type.
/// </summary>
public static class RequestMetrics
{
    private static Meter Meter => Hosting.OrleansDynamoTelemetry.Meter;

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "orleansdynamo.requests", "{request}", "DynamoDB requests served, by operation and table");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "orleansdynamo.request.duration", "s", "Time from a request's body read to its answer written, by operation",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "orleansdynamo.errors", "{error}", "Requests answered with an error, by operation and DynamoDB error type (__type)");

    public static void Record(string operation, string? table, string? errorType, long startedAt)
    {
        var byOperation = new KeyValuePair<string, object?>("operation", operation);
        Requests.Add(1, byOperation, new KeyValuePair<string, object?>("table", table ?? ""));
        Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, byOperation);
        if (errorType is not null) Errors.Add(1, byOperation, new KeyValuePair<string, object?>("error.type", errorType));
    }

    /// <summary>The one table a request names, for operations on one table; null for the others.</summary>
    public static string? TableOf(object request) => request switch
    {
        GetItemRequest r => r.TableName,
        PutItemRequest r => r.TableName,
        UpdateItemRequest r => r.TableName,
        DeleteItemRequest r => r.TableName,
        QueryRequest r => r.TableName,
        ScanRequest r => r.TableName,
        CreateTableRequest r => r.TableName,
        DescribeTableRequest r => r.TableName,
        UpdateTableRequest r => r.TableName,
        DeleteTableRequest r => r.TableName,
        UpdateTimeToLiveRequest r => r.TableName,
        DescribeTimeToLiveRequest r => r.TableName,
        _ => null,
    };
}

namespace OrleansDynamo.Client.Hosting;

/// <summary>How an Orleans client reaches an OrleansDynamo cluster.</summary>
public sealed class OrleansDynamoClientOptions
{
    /// <summary>The cluster id the silos run with; the server's <c>--cluster-id</c>, <c>orleansdynamo</c> by default.</summary>
    public string ClusterId { get; set; } = "orleansdynamo";

    /// <summary>The service id the silos run with; the server uses its cluster id for both.</summary>
    public string ServiceId { get; set; } = "orleansdynamo";

    /// <summary>
    /// How long a call waits for its answer. Short, so that a call lost with a dead silo fails fast
    /// (Orleans' own default is 30 seconds); a DynamoDB request normally answers in milliseconds.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

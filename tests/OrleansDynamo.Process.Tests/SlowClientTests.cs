using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Clients that declare large bodies and send them slowly hold memory by what they sent, not by what they declared:
/// the server process's GC figures (its runtime metrics on the admin port) barely move while 100 of them wait.
/// </summary>
public sealed class SlowClientTests
{
    private const int Connections = 100;
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task A_hundred_clients_declaring_16_MB_each_and_sending_slowly_hold_little_and_others_are_served()
    {
        await using var server = await ServerProcess.StartAsync("--in-memory");
        var (allocatedBefore, committedBefore) = await GcAsync(server);
        var clients = new List<TcpClient>();
        try
        {
            var head = Encoding.ASCII.GetBytes(
                "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n" +
                $"X-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Length: {16_000_000}\r\n\r\n{{");
            for (var i = 0; i < Connections; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", server.Port);
                await client.GetStream().WriteAsync(head);
                clients.Add(client);
            }
            // Just above Kestrel's minimum rate (240 B/s), for three seconds: every connection stays open.
            var trickle = Encoding.ASCII.GetBytes(new string(' ', 300));
            for (var second = 0; second < 3; second++)
            {
                foreach (var client in clients) await client.GetStream().WriteAsync(trickle);
                await Task.Delay(1000);
            }

            using var sdk = server.CreateClient();
            Assert.NotNull((await sdk.ListTablesAsync(new ListTablesRequest())).TableNames);
            var (allocatedAfter, committedAfter) = await GcAsync(server);
            Assert.True(allocatedAfter - allocatedBefore < 100L << 20, $"the server allocated {(allocatedAfter - allocatedBefore) >> 20} MB");
            Assert.True(committedAfter - committedBefore < 100L << 20, $"the server's committed memory grew by {(committedAfter - committedBefore) >> 20} MB");
            Assert.All(clients, c => Assert.True(c.Connected));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>Bytes allocated since start and committed at the last collection, from the server's Prometheus metrics.</summary>
    private static async Task<(long Allocated, long Committed)> GcAsync(ServerProcess server)
    {
        var metrics = await Http.GetStringAsync($"http://127.0.0.1:{server.AdminPort}/metrics");
        return (Value(metrics, "dotnet_gc_heap_total_allocated_bytes_total"), Value(metrics, "dotnet_gc_last_collection_memory_committed_size_bytes"));
    }

    private static long Value(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)).Select(l => (long)double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture)).FirstOrDefault();
}

using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>Clients that declare large bodies and send them slowly hold memory by what they sent, not by what they declared.</summary>
[Collection(ServerCollection.Name)]
public sealed class SlowClientTests(ServerFixture server)
{
    private const int Connections = 100;

    [Fact]
    public async Task A_hundred_clients_declaring_16_MB_each_and_sending_slowly_hold_little_and_others_are_served()
    {
        var before = Committed();
        var clients = new List<TcpClient>();
        try
        {
            var head = Encoding.ASCII.GetBytes(
                $"POST / HTTP/1.1\r\nHost: {server.Endpoint.Host}\r\nContent-Type: application/x-amz-json-1.0\r\n" +
                $"X-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Length: {16_000_000}\r\n\r\n{{");
            for (var i = 0; i < Connections; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(server.Endpoint.Host, server.Endpoint.Port);
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

            // Others are answered meanwhile.
            Assert.NotNull((await server.Client.ListTablesAsync(new ListTablesRequest())).TableNames);
            var grown = Committed() - before;
            Assert.True(grown < 100L << 20, $"committed memory grew by {grown >> 20} MB");
            Assert.All(clients, c => Assert.True(c.Connected));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private static long Committed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetGCMemoryInfo().TotalCommittedBytes;
    }
}

using System.Collections.Concurrent;
using Amazon.DynamoDBv2;

namespace OrleansDynamo.Testing;

/// <summary>
/// One test's share of a <see cref="DynamoDbTestServer"/>: table names under a prefix of its own
/// (<see cref="TableName"/>), and those tables deleted on dispose.
/// </summary>
public sealed class DynamoDbTestScope : IAsyncDisposable
{
    private readonly DynamoDbTestServer _server;
    private readonly ConcurrentDictionary<string, byte> _tables = new(StringComparer.Ordinal);

    internal DynamoDbTestScope(DynamoDbTestServer server, string prefix)
    {
        _server = server;
        Prefix = prefix;
    }

    /// <summary>What this test's table names start with.</summary>
    public string Prefix { get; }

    /// <summary>The server's shared AWS SDK client.</summary>
    public IAmazonDynamoDB Client => _server.Client;

    /// <summary>The server's typed API in process.</summary>
    public Operations.IDynamoDb DynamoDb => _server.DynamoDb;

    /// <summary>This test's name for the table <paramref name="name"/>: the prefix and the name. It is deleted with the scope.</summary>
    public string TableName(string name)
    {
        var table = Prefix + name;
        _tables.TryAdd(table, 0);
        return table;
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_tables.Keys.Select(table => _server.DeleteTableAsync(table, CancellationToken.None)));
}

using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Samples.AspireApiService;

/// <summary>A song as the API shows it.</summary>
public sealed record Song(string Artist, string Title, int Year);

/// <summary>The body of <c>PUT /songs/{artist}/{song}</c>.</summary>
public sealed record SongDetails(int Year);

/// <summary>The <c>Songs</c> table (hash key Artist, range key Title), created the first time it is used.</summary>
public sealed class SongTable(IAmazonDynamoDB dynamo)
{
    public const string TableName = "Songs";

    private readonly SemaphoreSlim _creation = new(1, 1);
    private bool _exists;

    public async Task PutAsync(Song song, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = TableName,
            Item = new Dictionary<string, AttributeValue>
            {
                ["Artist"] = new() { S = song.Artist },
                ["Title"] = new() { S = song.Title },
                ["Year"] = new() { N = song.Year.ToString(CultureInfo.InvariantCulture) },
            },
        }, cancellationToken);
    }

    public async Task<Song?> GetAsync(string artist, string title, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = TableName,
            Key = new Dictionary<string, AttributeValue> { ["Artist"] = new() { S = artist }, ["Title"] = new() { S = title } },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item
            ? new Song(item["Artist"].S, item["Title"].S, int.Parse(item["Year"].N, CultureInfo.InvariantCulture))
            : null;
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_exists) return;
        await _creation.WaitAsync(cancellationToken);
        try
        {
            if (_exists) return;
            try
            {
                await dynamo.CreateTableAsync(new CreateTableRequest
                {
                    TableName = TableName,
                    AttributeDefinitions = [new("Artist", ScalarAttributeType.S), new("Title", ScalarAttributeType.S)],
                    KeySchema = [new("Artist", KeyType.HASH), new("Title", KeyType.RANGE)],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                }, cancellationToken);
            }
            catch (ResourceInUseException)
            {
                // Made already, by an earlier run or another instance.
            }
            _exists = true;
        }
        finally
        {
            _creation.Release();
        }
    }
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Samples.AwsSdkApp;

/// <summary>A song, mapped by the AWS SDK's object persistence model.</summary>
[DynamoDBTable(MusicLibrary.TableName)]
public sealed class Song
{
    [DynamoDBHashKey] public string Artist { get; set; } = "";
    [DynamoDBRangeKey] public string Title { get; set; } = "";
    public int Year { get; set; }
    public int Plays { get; set; }
}

/// <summary>Plain AWS SDK code: nothing here knows about OrleansDynamo.</summary>
public static class MusicLibrary
{
    public const string TableName = "Music";

    public static async Task RunAsync(IAmazonDynamoDB client, TextWriter output)
    {
        try
        {
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = TableName,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("Artist", KeyType.HASH), new KeySchemaElement("Title", KeyType.RANGE)],
                AttributeDefinitions = [new AttributeDefinition("Artist", ScalarAttributeType.S), new AttributeDefinition("Title", ScalarAttributeType.S)],
            });
        }
        catch (ResourceInUseException)
        {
            // Created by an earlier run.
        }

        using var context = new DynamoDBContextBuilder().WithDynamoDBClient(() => client).Build();
        await context.SaveAsync(new Song { Artist = "Nina Simone", Title = "Feeling Good", Year = 1965 });
        await context.SaveAsync(new Song { Artist = "Nina Simone", Title = "Sinnerman", Year = 1965 });

        var song = await context.LoadAsync<Song>("Nina Simone", "Feeling Good");
        song.Plays++;
        await context.SaveAsync(song);

        var songs = await context.QueryAsync<Song>("Nina Simone").GetRemainingAsync();
        foreach (var s in songs) await output.WriteLineAsync($"{s.Artist} - {s.Title} ({s.Year}), plays: {s.Plays}");
    }
}

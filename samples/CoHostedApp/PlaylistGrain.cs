using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Samples.CoHostedApp;

/// <summary>A song of a playlist and how often it was played.</summary>
[GenerateSerializer, Immutable]
public sealed record PlaylistSong([property: Id(0)] string Title, [property: Id(1)] int Plays);

/// <summary>One playlist, an application grain.</summary>
public interface IPlaylistGrain : IGrainWithStringKey
{
    /// <summary>Counts one play of <paramref name="title"/>; returns the plays so far.</summary>
    Task<int> Play(string title);

    Task<IReadOnlyList<PlaylistSong>> Songs();
}

/// <summary>Keeps its songs in the <c>Playlists</c> table, called in-process through the silo's <see cref="IDynamoDb"/>.</summary>
public sealed class PlaylistGrain(IDynamoDb dynamoDb) : Grain, IPlaylistGrain
{
    private string Name => this.GetPrimaryKeyString();

    public async Task<int> Play(string title)
    {
        var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = PlaylistTable.Name,
            Key = new Item([new("Playlist", AttributeValue.FromS(Name)), new("Title", AttributeValue.FromS(title))]),
            UpdateExpression = "ADD Plays :one",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":one"] = AttributeValue.FromN("1") },
            ReturnValues = "UPDATED_NEW",
        });
        return int.Parse(response.Attributes!["Plays"].N.ToString());
    }

    public async Task<IReadOnlyList<PlaylistSong>> Songs()
    {
        var response = await dynamoDb.QueryAsync(new QueryRequest
        {
            TableName = PlaylistTable.Name,
            KeyConditionExpression = "Playlist = :p",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":p"] = AttributeValue.FromS(Name) },
        });
        return response.Items!.Select(item => new PlaylistSong(item["Title"].S, int.Parse(item["Plays"].N.ToString()))).ToList();
    }
}

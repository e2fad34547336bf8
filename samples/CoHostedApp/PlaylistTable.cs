using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Samples.CoHostedApp;

/// <summary>Creates the <c>Playlists</c> table once the silo is up (hosted services start after it).</summary>
public sealed class PlaylistTable(IDynamoDb dynamoDb) : IHostedService
{
    public const string Name = "Playlists";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.CreateTableAsync(new CreateTableRequest
            {
                TableName = Name,
                BillingMode = "PAY_PER_REQUEST",
                KeySchema = [new KeySchemaElement { AttributeName = "Playlist", KeyType = "HASH" }, new KeySchemaElement { AttributeName = "Title", KeyType = "RANGE" }],
                AttributeDefinitions = [new AttributeDefinition { AttributeName = "Playlist", AttributeType = "S" }, new AttributeDefinition { AttributeName = "Title", AttributeType = "S" }],
                // Its changes feed PlayFeedHandler.
                StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewTypes.NewImage },
            }, cancellationToken);
        }
        catch (DynamoException error) when (error.ErrorType == DynamoErrorTypes.ResourceInUse)
        {
            // Kept by a durable store from an earlier run.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

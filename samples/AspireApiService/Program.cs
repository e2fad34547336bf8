using Amazon.DynamoDBv2;
using OrleansDynamo.Samples.AspireApiService;

// A web API on OrleansDynamo, started by samples/AspireAppHost: the AppHost hands it the server's connection string
// (ConnectionStrings:db), and AddOrleansDynamoClient turns that into the AWS SDK's IAmazonDynamoDB.
var builder = WebApplication.CreateBuilder(args);
builder.AddOrleansDynamoClient("db");
builder.Services.AddSingleton<SongTable>();

var app = builder.Build();

app.MapPut("/songs/{artist}/{song}", async (string artist, string song, SongDetails details, SongTable songs, CancellationToken cancellationToken) =>
{
    await songs.PutAsync(new Song(artist, song, details.Year), cancellationToken);
    return Results.NoContent();
});

app.MapGet("/songs/{artist}/{song}", async (string artist, string song, SongTable songs, CancellationToken cancellationToken) =>
    await songs.GetAsync(artist, song, cancellationToken) is { } found ? Results.Ok(found) : Results.NotFound());

app.MapGet("/tables", async (IAmazonDynamoDB dynamo, CancellationToken cancellationToken) =>
    (await dynamo.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), cancellationToken)).TableNames);

app.Run();

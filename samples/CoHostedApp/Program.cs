using OrleansDynamo.Changes;
using OrleansDynamo.Hosting;
using OrleansDynamo.Storage.Embedded;

namespace OrleansDynamo.Samples.CoHostedApp;

/// <summary>
/// An ASP.NET application with its own grains and OrleansDynamo in the same silo: the playlist grains keep their
/// data in an OrleansDynamo table and reach it in-process through <see cref="Operations.IDynamoDb"/>.
/// The table's stream feeds a change handler in the same silo (<see cref="PlayFeedHandler"/>).
/// <c>dotnet run --project samples/CoHostedApp</c>, then <c>curl -X POST localhost:5000/playlists/road/songs/Sinnerman</c>,
/// <c>curl localhost:5000/playlists/road</c> and <c>curl localhost:5000/feed</c>.
/// </summary>
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>
    /// The application; <c>--SiloPort</c> and <c>--GatewayPort</c> move the silo off 11111 and 30000, <c>--DataDir</c>
    /// keeps the data (and the handler's checkpoint) in an embedded store there.
    /// </summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var siloPort = builder.Configuration.GetValue("SiloPort", 11111);
        var gatewayPort = builder.Configuration.GetValue("GatewayPort", 30000);
        var dataDirectory = builder.Configuration.GetValue<string>("DataDir");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            // The database grains beside the application's own; data in memory unless a store is added.
            if (dataDirectory is not null) silo.AddOrleansDynamoEmbeddedStorage(dataDirectory);
            silo.AddOrleansDynamo();
            silo.AddTableChangeHandler<PlayFeedHandler>(PlaylistTable.Name);
        });
        builder.Services.AddSingleton<PlayFeed>();
        builder.Services.AddHostedService<PlaylistTable>();

        var app = builder.Build();
        app.MapPost("/playlists/{name}/songs/{title}", async (string name, string title, IGrainFactory grains) =>
            Results.Ok(new { plays = await grains.GetGrain<IPlaylistGrain>(name).Play(title) }));
        app.MapGet("/playlists/{name}", async (string name, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IPlaylistGrain>(name).Songs()));
        app.MapGet("/feed", (PlayFeed feed) => Results.Ok(feed.Entries));
        return app;
    }
}

using OrleansDynamo.Hosting;

namespace OrleansDynamo.Samples.CoHostedApp;

/// <summary>
/// An ASP.NET application with its own grains and OrleansDynamo in the same silo: the playlist grains keep their
/// data in an OrleansDynamo table and reach it in-process through <see cref="Operations.IDynamoDb"/>.
/// <c>dotnet run --project samples/CoHostedApp</c>, then <c>curl -X POST localhost:5000/playlists/road/songs/Sinnerman</c>
/// and <c>curl localhost:5000/playlists/road</c>.
/// </summary>
public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>The application; <c>--SiloPort</c> and <c>--GatewayPort</c> move the silo off 11111 and 30000.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var siloPort = builder.Configuration.GetValue("SiloPort", 11111);
        var gatewayPort = builder.Configuration.GetValue("GatewayPort", 30000);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            // The database grains beside the application's own; data in memory unless a store is added.
            silo.AddOrleansDynamo();
        });
        builder.Services.AddHostedService<PlaylistTable>();

        var app = builder.Build();
        app.MapPost("/playlists/{name}/songs/{title}", async (string name, string title, IGrainFactory grains) =>
            Results.Ok(new { plays = await grains.GetGrain<IPlaylistGrain>(name).Play(title) }));
        app.MapGet("/playlists/{name}", async (string name, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IPlaylistGrain>(name).Songs()));
        return app;
    }
}

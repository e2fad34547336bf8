using OrleansDynamo.Server;

await ServerHost.Build(args).RunAsync();

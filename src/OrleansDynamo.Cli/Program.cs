using OrleansDynamo.Cli;

return await Cli.RunAsync(args);

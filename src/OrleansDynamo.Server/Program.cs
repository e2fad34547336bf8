using OrleansDynamo.Server;

try
{
    await ServerHost.Build(args).RunAsync();
}
catch (InvalidOperationException e) when (e.Source == typeof(ServerHost).Assembly.GetName().Name)
{
    // A configuration mistake: say what is wrong, without a stack trace.
    Console.Error.WriteLine($"OrleansDynamo: {e.Message}");
    return 2;
}
return 0;

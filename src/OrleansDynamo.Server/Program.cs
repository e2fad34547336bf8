using OrleansDynamo.Server;

if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.Out.Write(ServerOptions.HelpText());
    return 0;
}
try
{
    await ServerHost.Build(args).RunAsync();
}
catch (Exception e) when (StartupErrors.Describe(e) is { } line)
{
    // A mistake a person can fix: say what is wrong and what to do, without a stack trace.
    Console.Error.WriteLine($"OrleansDynamo: {line}");
    return 2;
}
return 0;

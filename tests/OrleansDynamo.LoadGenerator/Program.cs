using OrleansDynamo.LoadGenerator;

// Load generator for the whole server. Figures are ratios measured in one run, never timed assertions.
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- group-commit [seconds]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- client-vs-http [seconds] [callers, default 32]
var scenario = args.FirstOrDefault() ?? "group-commit";
var seconds = args.Length > 1 ? int.Parse(args[1]) : 5;
switch (scenario)
{
    case "group-commit":
        await GroupCommitBenchmark.RunAsync(TimeSpan.FromSeconds(seconds));
        return 0;
    case "client-vs-http":
        await ClientVsHttpBenchmark.RunAsync(TimeSpan.FromSeconds(seconds), args.Length > 2 ? int.Parse(args[2]) : 32);
        return 0;
    default:
        Console.Error.WriteLine($"Unknown scenario '{scenario}'. Scenarios: group-commit, client-vs-http");
        return 2;
}

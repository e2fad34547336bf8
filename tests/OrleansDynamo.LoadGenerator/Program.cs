using OrleansDynamo.LoadGenerator;

// Load generator for the whole server. Figures are ratios measured in one run, never timed assertions.
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- group-commit [seconds]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- client-vs-http [seconds] [callers, default 32]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- workloads --endpoint http://127.0.0.1:8000 [--load] ...
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- transfer --endpoint http://127.0.0.1:8000 [--accounts 1000] [--hot 10]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- streams --endpoint http://127.0.0.1:8000 [--rate 1000]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- partiql --endpoint http://127.0.0.1:8000
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- fuzz [--endpoint http://127.0.0.1:8000] [--mutations 100000]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- large-table --server-cmd "dotnet .../OrleansDynamo.Server.dll" ...
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- sigv4 [--seconds 5] [--rounds 3] [--workers 32]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- telemetry [--seconds 5] [--rounds 3] [--workers 32]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- testing [--tests 300]
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- noop [--port 8000]   (constant answers: the limit, for infra/bench/peers.sh)
//   dotnet run -c Release --project tests/OrleansDynamo.LoadGenerator -- backup [--items 1000000] [--item-bytes 200] [--writers 32] [--seconds 5]
var scenario = args.FirstOrDefault() ?? "group-commit";
try
{
    switch (scenario)
    {
        case "group-commit":
            await GroupCommitBenchmark.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1]) : 5));
            return 0;
        case "client-vs-http":
            await ClientVsHttpBenchmark.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1]) : 5), args.Length > 2 ? int.Parse(args[2]) : 32);
            return 0;
        case "workloads":
            return await WorkloadsScenario.RunAsync(new BenchArgs(args.Skip(1)));
        case "large-table":
            return await LargeTableScenario.RunAsync(new BenchArgs(args.Skip(1)));
        case "transfer":
            return await TransferScenario.RunAsync(new BenchArgs(args.Skip(1)));
        case "partiql":
            return await PartiQLScenario.RunAsync(new BenchArgs(args.Skip(1)));
        case "fuzz":
            return await FuzzScenario.RunAsync(new BenchArgs(args.Skip(1)));
        case "streams":
            return await StreamScenario.RunAsync(new BenchArgs(args.Skip(1)));
        case "sigv4":
            return await SigV4Benchmark.RunAsync(new BenchArgs(args.Skip(1)));
        case "telemetry":
            return await TelemetryBenchmark.RunAsync(new BenchArgs(args.Skip(1)));
        case "testing":
            return await TestingBenchmark.RunAsync(new BenchArgs(args.Skip(1)));
        case "backup":
            return await BackupBenchmark.RunAsync(new BenchArgs(args.Skip(1)));
        case "noop":
            return await NoopServer.RunAsync(new BenchArgs(args.Skip(1)));
        default:
            Console.Error.WriteLine($"Unknown scenario '{scenario}'. Scenarios: group-commit, client-vs-http, workloads, large-table, transfer, streams, partiql, fuzz, sigv4, telemetry, testing, backup, noop");
            return 2;
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{scenario}: {e.Message}");
    return 2;
}

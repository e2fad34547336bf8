using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// How the server does with a table much larger than its memory, and how fast it serves again after a crash.
/// It runs its own server process:
/// <code>
///   large-table --server-cmd "dotnet src/OrleansDynamo.Server/bin/Release/net10.0/OrleansDynamo.Server.dll" [--server-args "..."]
///               [--items 3000000] [--small-items 10000] [--seconds 10] [--workers 32] [--latency-workers 8]
///               [--loaders 32] [--data-dir PATH] [--keep-data]
/// </code>
/// Steps: start the server on a fresh data folder (embedded store); load the large table with BatchWriteItem from
/// 32 loaders while sampling the server's RSS every 500 ms; a uniform GetItem workload (RSS again); GetItem and
/// Query (Limit 10) latencies with zipfian and uniform keys on the large table and on a small one in the same
/// server; then kill -9, restart on the same data, and time the first GetItems on 64 partition keys, fired together
/// the moment the listening line appears. The server is killed at the end whatever happens.
/// </summary>
public static class LargeTableScenario
{
    private const int RestartKeys = 64;

    /// <summary>How long each split paused its partition's writes, from the server's log.</summary>
    private static void ReportSplits(ExternalServer server, Action<string> report)
    {
        var pauses = server.Splits
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"at (\d+) bytes: .* writes paused ([\d.]+) ms"))
            .Where(m => m.Success)
            .Select(m => (Bytes: long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Ms: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
        if (pauses.Count == 0) return;
        var largest = pauses.MaxBy(p => p.Bytes);
        report($"  splits: {pauses.Count}; writes paused max {pauses.Max(p => p.Ms):F1} ms, median {pauses.Select(p => p.Ms).Order().ElementAt(pauses.Count / 2):F1} ms; " +
            $"the largest ({Mb(largest.Bytes):F0} MB) paused {largest.Ms:F1} ms");
    }

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var command = args.Optional("server-cmd") ?? throw new ArgumentException("--server-cmd \"<server command>\" is required");
        var serverArgs = ExternalServer.SplitCommandLine(args.String("server-args", ""));
        var items = args.Int("items", 3_000_000);
        var smallItems = args.Int("small-items", 10_000);
        var seconds = args.Double("seconds", 10);
        var workers = args.Int("workers", 32);
        var latencyWorkers = args.Int("latency-workers", 8);
        var loaders = args.Int("loaders", 32);
        var dataRoot = args.Optional("data-dir");
        var keepData = args.Flag("keep-data");
        args.ThrowOnUnknown();
        if (items < BenchTable.ItemsPerKey || smallItems < BenchTable.ItemsPerKey) throw new ArgumentException("--items and --small-items must be at least 10");
        if (serverArgs.Any(a => a is "--data-dir" or "--port" or "--silo-port" or "--gateway-port" or "--in-memory"))
            throw new ArgumentException("--server-args must not set --data-dir, ports or --in-memory: the scenario sets them");

        var dataDir = Path.Combine(dataRoot ?? Path.GetTempPath(), "odyn-large-" + Guid.NewGuid().ToString("N")[..12]);
        var summary = new StringBuilder();
        void Report(string line)
        {
            Console.WriteLine(line);
            summary.AppendLine(line);
        }
        ExternalServer? server = null;
        if (!keepData) ExternalServer.DeleteOnSignal(dataDir);
        try
        {
            Console.WriteLine($"starting {string.Join(' ', [command, .. serverArgs])} on {dataDir}");
            server = ExternalServer.Start(command, serverArgs, dataDir);
            var listeningAt = await server.WaitListeningAsync(TimeSpan.FromMinutes(3));
            Console.WriteLine($"server pid {server.Pid} listening at {server.Endpoint} after {Seconds(listeningAt - server.StartedAt):F1} s");
            Report($"server: {string.Join(' ', [command, .. serverArgs])} (embedded store at {dataDir})");

            // Load the large table.
            using var loadClient = BenchTable.CreateClient(server.Endpoint, maxErrorRetry: 3, timeoutSeconds: 30);
            var large = new BenchTable(loadClient, "large", items);
            await large.EnsureCreatedAsync();
            Console.WriteLine($"loading {items} items of ~1 KB from {loaders} loaders...");
            double loadRate;
            long loadMaxRss;
            var loadClock = Stopwatch.StartNew();
            await using (var rss = new RssSampler(server))
            {
                loadRate = await large.LoadAsync(loaders, written =>
                    Console.WriteLine($"  {written,10} items  {written / loadClock.Elapsed.TotalSeconds,8:F0} items/s  RSS {Mb(rss.Current),6:F0} MB"));
                loadMaxRss = rss.MaxBytes;
            }
            Report($"load: {items} items (~1 KB, 10 per partition key) in {loadClock.Elapsed.TotalSeconds:F0} s: {loadRate:F0} items/s, {loaders} loaders");
            Report($"  max RSS during load: {Mb(loadMaxRss):F0} MB; data folder: {Mb(FolderBytes(dataDir)):F0} MB");
            ReportSplits(server, Report);

            // A uniform GetItem workload over the whole table.
            using var client = BenchTable.CreateClient(server.Endpoint, maxErrorRetry: 0);
            large = new BenchTable(client, "large", items);
            var uniformItems = new UniformChooser(items);
            RunResult getRun;
            long getMaxRss;
            await using (var rss = new RssSampler(server))
            {
                await ClosedLoop.RunAsync("warm-up", workers, TimeSpan.FromSeconds(1), w => Get(large, uniformItems, w));
                getRun = await ClosedLoop.RunAsync("GetItem", workers, TimeSpan.FromSeconds(seconds), w => Get(large, uniformItems, w));
                getMaxRss = rss.MaxBytes;
            }
            Report($"GetItem, uniform keys, {workers} workers, {seconds:0.##} s: {getRun.OpsPerSecond:F0} ops/s, p50 {getRun.Latency.P50Ms:F2} ms, " +
                   $"p99 {getRun.Latency.P99Ms:F2} ms, errors {getRun.Errors}; max RSS {Mb(getMaxRss):F0} MB");

            // Latencies on the large table and on a small one in the same server.
            var small = new BenchTable(client, "small", smallItems);
            await new BenchTable(loadClient, "small", smallItems).EnsureCreatedAsync();
            Console.WriteLine($"loading {smallItems} items into the small table...");
            await new BenchTable(loadClient, "small", smallItems).LoadAsync(loaders);
            var rows = new List<(string Name, RunResult Large, RunResult Small)>();
            foreach (var keys in new[] { "zipfian", "uniform" })
            foreach (var operation in new[] { "GetItem", "Query" })
            {
                var name = $"{operation} {keys}";
                var runs = new List<RunResult>();
                foreach (var table in new[] { large, small })
                {
                    var itemChooser = KeyChooser.Create(keys, table.Items);
                    var keyChooser = KeyChooser.Create(keys, table.PartitionKeys);
                    Func<Worker, Task<bool>> call = operation == "GetItem"
                        ? w => Get(table, itemChooser, w)
                        : async w => { await table.QueryAsync(keyChooser.Next(w.Random)); return true; };
                    await ClosedLoop.RunAsync("warm-up", latencyWorkers, TimeSpan.FromSeconds(1), call);
                    var run = await ClosedLoop.RunAsync(name, latencyWorkers, TimeSpan.FromSeconds(seconds), call);
                    Console.WriteLine($"  {name} on {table.Name}: {run.OpsPerSecond:F0} ops/s, p50 {run.Latency.P50Ms:F2} ms, p99 {run.Latency.P99Ms:F2} ms, errors {run.Errors}");
                    runs.Add(run);
                }
                rows.Add((name, runs[0], runs[1]));
            }
            Report($"latency, {latencyWorkers} workers, {seconds:0.##} s each: large = {items} items, small = {smallItems} items");
            Report($"  {"operation",-16} {"large p50",9} {"large p99",9} {"small p50",9} {"small p99",9} {"p50 ratio",9} {"p99 ratio",9} {"errors",7}");
            foreach (var (name, l, s) in rows)
                Report($"  {name,-16} {l.Latency.P50Ms,9:F2} {l.Latency.P99Ms,9:F2} {s.Latency.P50Ms,9:F2} {s.Latency.P99Ms,9:F2} " +
                       $"{Ratio(l.Latency.P50Ms, s.Latency.P50Ms),9} {Ratio(l.Latency.P99Ms, s.Latency.P99Ms),9} {l.Errors + s.Errors,7}");

            // kill -9, restart on the same data, and time the first reads.
            await server.KillAsync();
            Console.WriteLine("killed the server (SIGKILL); restarting on the same data...");
            var random = new Random(7);
            var partitionKeys = new HashSet<long>();
            while (partitionKeys.Count < Math.Min(RestartKeys, large.PartitionKeys)) partitionKeys.Add(random.NextInt64(large.PartitionKeys));
            var probes = partitionKeys.Select(pk => pk * BenchTable.ItemsPerKey + random.Next((int)Math.Min(BenchTable.ItemsPerKey, items - pk * BenchTable.ItemsPerKey))).ToArray();
            server = ExternalServer.Start(command, serverArgs, dataDir);
            using var restarted = BenchTable.CreateClient(server.Endpoint, maxErrorRetry: 0, timeoutSeconds: 60);
            var after = new BenchTable(restarted, "large", items);
            listeningAt = await server.WaitListeningAsync(TimeSpan.FromMinutes(5));
            var firstReads = await Task.WhenAll(probes.Select(item => Task.Run(() => FirstReadAsync(after, item, listeningAt))));
            var latencies = LatencySummary.OfTicks(firstReads.Where(r => r.Answered).Select(r => r.Ticks).ToArray());
            Report($"restart after kill -9: listening {Seconds(listeningAt - server.StartedAt):F1} s after the process started");
            Report($"  first GetItem on {probes.Length} partition keys, fired together at the listening line: p50 {latencies.P50Ms:F1} ms, " +
                   $"max {latencies.MaxMs:F1} ms from the line to the answer; answered {firstReads.Count(r => r.Answered)}/{probes.Length}, " +
                   $"found {firstReads.Count(r => r.Found)}/{probes.Length}, " +
                   $"failed attempts before an answer {firstReads.Sum(r => r.FailedAttempts)}");

            Console.WriteLine();
            Console.WriteLine("== large-table summary");
            Console.Write(summary.ToString());
            return firstReads.All(r => r.Found) ? 0 : 1;
        }
        catch (InvalidOperationException e) when (server is not null)
        {
            Console.Error.WriteLine($"large-table: {e.Message}");
            return 1;
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
            ExternalServer.KeepFolder(dataDir);
            if (!keepData && Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
            else if (keepData) Console.WriteLine($"data kept in {dataDir}");
        }
    }

    private static async Task<bool> Get(BenchTable table, KeyChooser chooser, Worker worker)
    {
        await table.GetAsync(chooser.Next(worker.Random));
        return true;
    }

    /// <summary>
    /// GetItem until it answers: a call that fails (or times out after 60 s) is tried again at once, for at most
    /// 5 minutes. Ticks from the listening line to the answer; Answered false when it never came.
    /// </summary>
    private static async Task<FirstRead> FirstReadAsync(BenchTable table, long item, long listeningAt)
    {
        var failed = 0;
        var giveUp = Stopwatch.GetTimestamp() + 300 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < giveUp)
        {
            try
            {
                var response = await table.GetAsync(item);
                return new FirstRead(Stopwatch.GetTimestamp() - listeningAt, true, response.Item is { Count: > 0 }, failed);
            }
            catch (Exception)
            {
                failed++;
                await Task.Delay(10);
            }
        }
        return new FirstRead(Stopwatch.GetTimestamp() - listeningAt, false, false, failed);
    }

    private readonly record struct FirstRead(long Ticks, bool Answered, bool Found, int FailedAttempts);

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    private static double Mb(long bytes) => bytes / (1024.0 * 1024);

    private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";

    private static long FolderBytes(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => { try { return f.Length; } catch (IOException) { return 0L; } }) : 0;
}

using System.Diagnostics;
using System.Text;

namespace OrleansDynamo.Samples.Tests;

/// <summary>
/// The src projects packed into a folder feed, once per test class, as <c>dotnet pack</c> makes them for users. Each
/// run packs its own version, so nothing stale comes from NuGet's cache; this version's cache entries go at the end.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly string[] Packages =
    [
        "OrleansDynamo.Abstractions", "OrleansDynamo.Core", "OrleansDynamo.Client", "OrleansDynamo.Client.AwsSdk", "OrleansDynamo.Client.Postgres",
        "OrleansDynamo.Grains", "OrleansDynamo.Storage.Embedded", "OrleansDynamo.Storage.Postgres", "OrleansDynamo.Server", "OrleansDynamo.Testing",
        "OrleansDynamo.Aspire.Hosting", "OrleansDynamo.Aspire.Client", "OrleansDynamo.Cli",
    ];

    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>A scratch folder holding the feed and a <c>nuget.config</c> that adds it to nuget.org (found by projects made under it).</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "odyn-packages-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Folder, "feed");

    public string NuGetConfig => Path.Combine(Folder, "nuget.config");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // The suite has built everything already: packing reuses that build.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        foreach (var package in Packages)
            await RunAsync("dotnet", ["pack", Path.Combine(RepositoryRoot, "src", package, package + ".csproj"), "--no-build", "-c", configuration,
                "-o", Feed, $"-p:PackageVersion={Version}", "--nologo"], RepositoryRoot);
        await File.WriteAllTextAsync(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var package in Packages)
        {
            var entry = Path.Combine(cache, package.ToLowerInvariant(), Version);
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
        }
        return Task.CompletedTask;
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansDynamo.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (OrleansDynamo.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a command to its end (5 minutes at most); fails the test with its output when it fails.</summary>
    public static async Task RunAsync(string file, string[] arguments, string directory)
    {
        using var process = Start(file, arguments, directory, out var output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} failed:\n{output}");
    }

    /// <summary>Starts a process whose output (both streams) collects in <paramref name="output"/>.</summary>
    public static Process Start(string file, string[] arguments, string directory, out StringBuilder output)
    {
        var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var lines = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (lines) lines.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (lines) lines.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = lines;
        return process;
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }
}

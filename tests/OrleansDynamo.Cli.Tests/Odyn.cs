using System.Diagnostics;
using System.Text;

namespace OrleansDynamo.Cli.Tests;

/// <summary>What one run of odyn did.</summary>
public sealed record OdynResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>odyn as a user runs it: <c>dotnet odyn.dll ...</c>, a process of its own, stdout and stderr apart.</summary>
public static class Odyn
{
    /// <summary>Runs odyn to its end (within a minute) and answers its exit code and output.</summary>
    public static async Task<OdynResult> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments, out var stdout, out var stderr);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"odyn {string.Join(' ', arguments)} did not end:\n{stdout}\n{stderr}");
        }
        return new OdynResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts odyn and leaves it running; its output is collected into the two builders.</summary>
    public static Process Start(string[] arguments, out StringBuilder stdout, out StringBuilder stderr, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(OdynDll());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The tests say what they mean: no endpoint or keys from the environment the tests run in.
        foreach (var name in (string[])["ODYN_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start)!;
        var (output, error) = (new StringBuilder(), new StringBuilder());
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        (stdout, stderr) = (output, error);
        return process;
    }

    /// <summary>SIGINT, as Ctrl+C on a terminal sends it.</summary>
    public static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString()])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static string OdynDll()
    {
        // With --artifacts-path: <artifacts>/bin/OrleansDynamo.Cli.Tests/<pivot>/ and <artifacts>/bin/OrleansDynamo.Cli/<pivot>/.
        var binDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var artifactsDll = Path.Combine(binDirectory.Parent!.Parent!.FullName, "OrleansDynamo.Cli", binDirectory.Name, "odyn.dll");
        if (File.Exists(artifactsDll)) return artifactsDll;
        // Else tests/<project>/bin/<Configuration>/<tfm>/, and odyn beside the sources in src/.
        var root = binDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrleansDynamo.sln"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "src", "OrleansDynamo.Cli", "bin", binDirectory.Parent!.Name, binDirectory.Name, "odyn.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build odyn first", dll);
    }
}

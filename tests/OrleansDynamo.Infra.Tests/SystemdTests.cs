using System.Globalization;
using System.Text.RegularExpressions;
using OrleansDynamo.Infra.Tests.Support;

namespace OrleansDynamo.Infra.Tests;

/// <summary>infra/systemd/orleansdynamo.service: read as a unit file, and checked by systemd-analyze.</summary>
public sealed partial class SystemdTests
{
    private const string UnitPath = "infra/systemd/orleansdynamo.service";
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Key, string Value)>> Unit = ParseUnit(Repo.Read(UnitPath));

    private static IReadOnlyList<string> Values(string key) => Unit["Service"].Where(e => e.Key == key).Select(e => e.Value).ToList();

    private static string Value(string key) =>
        Values(key) is [.., var last] ? last : throw new Xunit.Sdk.XunitException($"[Service] has no {key}=");

    private static IReadOnlyList<string> ExecStart => Value("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Systemd_analyze_verifies_the_unit_without_complaint()
    {
        if (!File.Exists(SystemdAnalyze)) return; // nothing to verify with on this machine
        // verify also checks that ExecStart's program exists. The unit runs /usr/bin/dotnet, where Debian's and
        // Microsoft's packages put it; on a machine whose dotnet lives elsewhere, a copy of the unit whose
        // ExecStart names that dotnet is verified instead (the same file otherwise, same name, same checks).
        var unit = Repo.PathOf(UnitPath);
        string? copyFolder = null;
        if (!File.Exists(ExecStart[0]))
        {
            var dotnet = Environment.ProcessPath is { } path && Path.GetFileName(path) == "dotnet" ? path
                : throw new Xunit.Sdk.XunitException($"{ExecStart[0]} does not exist and the tests do not run under a dotnet to use instead");
            copyFolder = Directory.CreateTempSubdirectory("odyn-unit-").FullName;
            unit = Path.Combine(copyFolder, Path.GetFileName(UnitPath));
            File.WriteAllText(unit, Repo.Read(UnitPath).Replace($"ExecStart={ExecStart[0]} ", $"ExecStart={dotnet} ", StringComparison.Ordinal));
        }
        try
        {
            var result = Tool.Run(SystemdAnalyze, ["verify", "--man=no", unit]);
            Assert.True(result.ExitCode == 0, result.ToString());
            // verify exits 0 on unknown keys and unparsable values, which it reports: none may be about this unit.
            var complaints = (result.Output + result.Errors).Split('\n').Where(l => l.Contains("orleansdynamo", StringComparison.Ordinal)).ToList();
            Assert.True(complaints.Count == 0, string.Join('\n', complaints));
        }
        finally
        {
            if (copyFolder is not null) Directory.Delete(copyFolder, recursive: true);
        }
    }

    [Fact]
    public void Systemd_analyze_security_rates_the_exposure_low()
    {
        if (!File.Exists(SystemdAnalyze)) return;
        var result = Tool.Run(SystemdAnalyze, ["security", "--offline=yes", Repo.PathOf(UnitPath)]);
        var match = ExposurePattern().Match(result.Output + result.Errors);
        Assert.True(match.Success, result.ToString());
        var exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        // 0 is fully locked down, 10 is no sandbox; "OK" is below 2.5 (what is left is mostly the JIT's W+X
        // memory and the network this server exists to use).
        Assert.True(exposure < 2.5, $"exposure {exposure}\n{result.Output}");
    }

    [Fact]
    public void Sandboxing_and_privilege_settings_are_there()
    {
        Assert.True(Value("DynamicUser") == "yes" || Values("User").Count > 0, "a user of its own: DynamicUser=yes or User=");
        Assert.Equal("strict", Value("ProtectSystem"));
        Assert.Contains(Value("ProtectHome"), new[] { "yes", "read-only", "tmpfs" });
        Assert.Equal("yes", Value("PrivateTmp"));
        Assert.Equal("yes", Value("NoNewPrivileges"));
        Assert.Equal("", Value("CapabilityBoundingSet")); // empty: no capabilities at all
        Assert.Equal("native", Value("SystemCallArchitectures"));
        Assert.Contains("@system-service", Values("SystemCallFilter"));
        var families = Value("RestrictAddressFamilies").Split(' ');
        Assert.Superset(new HashSet<string> { "AF_INET", "AF_INET6" }, families.ToHashSet());
        Assert.DoesNotContain("AF_PACKET", families);
        foreach (var key in new[] { "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups", "RestrictSUIDSGID", "LockPersonality", "RestrictNamespaces" })
            Assert.Equal("yes", Value(key));
        // The .NET JIT maps memory writable and executable: this option would crash the server at start.
        Assert.Empty(Values("MemoryDenyWriteExecute"));
    }

    [Fact]
    public void Runs_the_published_server_with_its_data_in_the_state_directory_and_restarts_on_failure()
    {
        Assert.Equal("on-failure", Value("Restart"));
        Assert.EndsWith("dotnet", ExecStart[0]);
        Assert.EndsWith("/OrleansDynamo.Server.dll", ExecStart[1]);
        ServerSettings.AssertKnownFlags(ExecStart.Skip(2), UnitPath);

        var state = Value("StateDirectory");
        Assert.False(string.IsNullOrEmpty(state));
        // %S is the StateDirectory's root (/var/lib for a system service).
        var dataDir = ServerSettings.ValueOf(ExecStart, "--data-dir");
        Assert.True(dataDir == $"%S/{state}" || dataDir == $"/var/lib/{state}", $"--data-dir {dataDir} is not under StateDirectory={state}");

        // The credentials file is the one LoadCredential hands the service (%d, its credentials folder).
        var credential = Value("LoadCredential").Split(':')[0];
        Assert.Equal($"%d/{credential}", ServerSettings.ValueOf(ExecStart, "--credentials-file"));
        Assert.Equal("sigv4", ServerSettings.ValueOf(ExecStart, "--auth"));
        Assert.Contains("2", Value("RestartPreventExitStatus").Split(' ')); // the server's exit code for a configuration mistake
    }

    /// <summary>Sections of key=value entries, with backslash continuations joined and comments dropped.</summary>
    private static Dictionary<string, IReadOnlyList<(string, string)>> ParseUnit(string text)
    {
        var sections = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        List<(string, string)>? current = null;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            while (line.EndsWith('\\') && i + 1 < lines.Length) line = line[..^1].TrimEnd() + " " + lines[++i].Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                sections[line[1..^1]] = current = [];
                continue;
            }
            var equals = line.IndexOf('=');
            Assert.True(current is not null && equals > 0, $"line {i + 1} of {UnitPath} is not key=value in a section: {line}");
            current!.Add((line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }
        return sections.ToDictionary(s => s.Key, s => (IReadOnlyList<(string, string)>)s.Value);
    }

    [GeneratedRegex(@"Overall exposure level for [^:]+: (\d+(?:\.\d+)?)")]
    private static partial Regex ExposurePattern();
}

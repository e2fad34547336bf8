using System.Net;
using System.Xml.Linq;
using OrleansDynamo.Infra.Tests.Support;

namespace OrleansDynamo.Infra.Tests;

/// <summary>infra/docker/Dockerfile, its entry point and the repository's .dockerignore.</summary>
public sealed class DockerfileTests
{
    private const string DockerfilePath = "infra/docker/Dockerfile";
    private const string EntrypointPath = "infra/docker/entrypoint.sh";
    private const string ServerProject = "src/OrleansDynamo.Server/OrleansDynamo.Server.csproj";

    private static readonly IReadOnlyList<Stage> Stages = Dockerfile.Parse(Repo.Read(DockerfilePath));

    private static Stage Build => Stages.Single(s => s.Name == "build");

    private static Stage Final => Stages[^1];

    [Fact]
    public void Builds_with_the_SDK_and_runs_on_the_ASP_NET_Core_runtime()
    {
        Assert.True(Stages.Count >= 2, "a build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Build.Image);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Final.Image);
        Assert.Equal("runtime", Final.Name);
        // The runtime stage takes the published output of the build stage, nothing else from it.
        var fromBuild = Final.All("COPY").Where(c => c.Flags.ContainsKey("from")).ToList();
        Assert.NotEmpty(fromBuild);
        Assert.All(fromBuild, c => Assert.Equal("build", c.Flags["from"]));
    }

    [Fact]
    public void Every_copied_path_exists_and_project_files_keep_their_folders()
    {
        var copies = Stages.SelectMany(s => s.All("COPY")).Where(c => !c.Flags.ContainsKey("from")).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var words = copy.Words;
            Assert.True(words.Count >= 2, $"line {copy.Line}: COPY needs a source and a destination");
            foreach (var source in words.Take(words.Count - 1))
            {
                Assert.True(Repo.Exists(source), $"line {copy.Line}: COPY {source}, which is not in the repository");
                if (source.EndsWith(".csproj", StringComparison.Ordinal))
                    // Restore resolves ProjectReferences by relative path: each project must land in its own folder.
                    Assert.Equal(Path.GetDirectoryName(source)!.Replace('\\', '/') + "/", words[^1]);
            }
        }
        Assert.Contains(copies, c => c.Words.Any(w => w.EndsWith(".csproj", StringComparison.Ordinal)));
    }

    [Fact]
    public void Restore_sees_every_project_the_server_references_and_the_central_package_versions()
    {
        var restore = Build.All("RUN").First(r => r.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copiedBefore = Build.All("COPY").Where(c => c.Line < restore.Line)
            .SelectMany(c => c.Words.Take(c.Words.Count - 1)).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(ServerProject, restore.Words);
        foreach (var project in ProjectClosure(ServerProject))
            Assert.True(copiedBefore.Contains(project), $"{project} (referenced by the server) is not copied before dotnet restore");
        // Central package management: without Directory.Packages.props no PackageReference has a version.
        Assert.Contains("Directory.Packages.props", copiedBefore);
        Assert.Contains("Directory.Build.props", copiedBefore);
    }

    [Fact]
    public void Publishes_the_server_project_into_the_runtime_stage()
    {
        var publish = Build.All("RUN").Single(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var project = publish.Words.Single(w => w.EndsWith(".csproj", StringComparison.Ordinal));
        Assert.Equal(ServerProject, project);
        Assert.True(Repo.Exists(project), $"{project} does not exist");

        var output = ServerSettings.ValueOf(publish.Words, "-o") ?? ServerSettings.ValueOf(publish.Words, "--output");
        Assert.NotNull(output);
        var copy = Final.All("COPY").Single(c => c.Flags.GetValueOrDefault("from") == "build");
        Assert.Equal(output.TrimEnd('/'), copy.Words[0].TrimEnd('/'));
        var workdir = Final.All("WORKDIR").Last().Arguments;
        Assert.Equal("/app", workdir);

        // The entry point runs exactly the assembly that this publishes into /app.
        var assembly = AssemblyName(project) + ".dll";
        Assert.Contains($"exec dotnet /app/{assembly} \"$@\"", Repo.Read(EntrypointPath));
    }

    [Fact]
    public void Runs_the_entry_point_as_a_non_root_user()
    {
        var user = Final.All("USER").LastOrDefault();
        Assert.NotNull(user);
        var name = user.Arguments.Split(':')[0];
        Assert.DoesNotContain(name, new[] { "root", "0" });
        // It is the last word on the user: no later instruction of the stage switches back.
        Assert.DoesNotContain(Final.Instructions, i => i.Keyword == "USER" && i.Line > user.Line);

        var entrypoint = Final.All("ENTRYPOINT").Single();
        Assert.Equal(["/app/entrypoint.sh"], entrypoint.Words);
        var copied = Final.All("COPY").Single(c => c.Words[^1] == "/app/entrypoint.sh");
        Assert.Equal(EntrypointPath, copied.Words[0]);
        Assert.Equal("0755", copied.Flags["chmod"]);
    }

    [Fact]
    public void Health_check_asks_for_readiness_on_the_admin_port_with_a_client_the_image_has()
    {
        var check = Final.All("HEALTHCHECK").Single();
        Assert.Contains("/health/ready", check.Arguments);
        Assert.Contains("${ODYN_ADMINPORT:-8001}", check.Arguments);
        Assert.StartsWith("CMD ", check.Arguments);
        // The aspnet image has no curl: the stage must install the client its check runs.
        Assert.Contains("curl --fail", check.Arguments);
        Assert.Contains(Final.All("RUN"), r => r.Arguments.Contains("apt-get install", StringComparison.Ordinal) && r.Words.Contains("curl"));
        Assert.Contains("8001", Final.All("EXPOSE").SelectMany(e => e.Words));
    }

    [Fact]
    public void Ports_volume_and_environment_defaults_fit_the_server()
    {
        var exposed = Final.All("EXPOSE").SelectMany(e => e.Words).ToHashSet();
        Assert.Superset(new HashSet<string> { "8000", "8001", "11111", "30000" }, exposed);

        var environment = Final.All("ENV").SelectMany(e => e.Words).Select(w => w.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        foreach (var name in environment.Keys) ServerSettings.AssertKnownVariable(name, DockerfilePath);
        var volume = Final.All("VOLUME").Single().Words.Single();
        Assert.Equal(volume, environment["ODYN_DATADIR"]);
        Assert.Equal("auto", environment["ODYN_ADVERTISEADDRESS"]);
    }

    [Fact]
    public void Dockerignore_keeps_build_output_and_secrets_out_but_not_what_the_image_copies()
    {
        var patterns = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        Assert.Contains("infra/docker/secrets/", patterns);

        var sources = Stages.SelectMany(s => s.All("COPY")).Where(c => !c.Flags.ContainsKey("from"))
            .SelectMany(c => c.Words.Take(c.Words.Count - 1));
        foreach (var source in sources)
            foreach (var pattern in patterns.Where(p => !p.Contains('*') && !p.StartsWith('!')))
                Assert.False(source.StartsWith(pattern.TrimEnd('/'), StringComparison.Ordinal),
                    $".dockerignore's {pattern} leaves {source} out of the build context");
    }

    [Fact]
    public void Entry_point_advertises_the_container_address_when_told_auto_and_passes_the_arguments_on()
    {
        using var fake = new FakeDotnet();
        var auto = fake.Run(advertise: "auto", "--storage", "postgres", "--port", "8000");
        Assert.Equal(0, auto.ExitCode);
        var lines = auto.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(IPAddress.TryParse(lines[0], out _), $"advertised '{lines[0]}', not an IP address\n{auto}");
        Assert.Equal("/app/OrleansDynamo.Server.dll --storage postgres --port 8000", lines[1]);

        var given = fake.Run(advertise: "10.1.2.3", "--cluster", "postgres");
        Assert.Equal("10.1.2.3", given.Output.Split('\n')[0]);
    }

    /// <summary>The Server's project and every project it references, directly or not, as repository paths.</summary>
    private static IReadOnlySet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current)) continue;
            var folder = Path.GetDirectoryName(Repo.PathOf(current))!;
            foreach (var reference in XDocument.Load(Repo.PathOf(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(Repo.Root, full).Replace('\\', '/'));
            }
        }
        return found;
    }

    private static string AssemblyName(string project) =>
        XDocument.Load(Repo.PathOf(project)).Descendants("AssemblyName").FirstOrDefault()?.Value
        ?? Path.GetFileNameWithoutExtension(project);

    /// <summary>A folder with a <c>dotnet</c> that prints the advertised address and its arguments, first on the PATH.</summary>
    private sealed class FakeDotnet : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("odyn-entrypoint-").FullName;

        public FakeDotnet()
        {
            var dotnet = Path.Combine(_folder, "dotnet");
            File.WriteAllText(dotnet, "#!/bin/sh\nprintf '%s\\n' \"$ODYN_ADVERTISEADDRESS\" \"$*\"\n");
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public ToolResult Run(string advertise, params string[] arguments) =>
            Tool.Run("/bin/sh", [Repo.PathOf(EntrypointPath), .. arguments], environment: new Dictionary<string, string>
            {
                ["PATH"] = $"{_folder}:{Environment.GetEnvironmentVariable("PATH")}",
                ["ODYN_ADVERTISEADDRESS"] = advertise,
            });

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}

using System.Xml.Linq;

namespace OrleansDynamo.Core.Tests.Architecture;

/// <summary>
/// The projects under src/ depend on each other only along the allowed arrows, and each package brings only what its
/// users need: a co-hosting silo (OrleansDynamo.Grains) gets neither the AWS SDK nor PostgreSQL.
/// </summary>
public sealed class PackageBoundaryTests
{
    /// <summary>Every project under src/, with the projects it may reference.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["OrleansDynamo.Abstractions"] = [],
        ["OrleansDynamo.Core"] = ["OrleansDynamo.Abstractions"],
        ["OrleansDynamo.Client"] = ["OrleansDynamo.Core"],
        ["OrleansDynamo.Client.AwsSdk"] = ["OrleansDynamo.Client"],
        ["OrleansDynamo.Client.Postgres"] = ["OrleansDynamo.Client"],
        ["OrleansDynamo.Grains"] = ["OrleansDynamo.Core", "OrleansDynamo.Client"],
        ["OrleansDynamo.Storage.Embedded"] = ["OrleansDynamo.Grains"],
        ["OrleansDynamo.Storage.Postgres"] = ["OrleansDynamo.Grains"],
        ["OrleansDynamo.Server"] = ["OrleansDynamo.Grains", "OrleansDynamo.Client", "OrleansDynamo.Client.Postgres",
            "OrleansDynamo.Storage.Embedded", "OrleansDynamo.Storage.Postgres"],
        ["OrleansDynamo.Testing"] = ["OrleansDynamo.Server"],
        ["OrleansDynamo.Aspire.Hosting"] = [],
        // The command line talks to a server over HTTP only: no project of ours.
        ["OrleansDynamo.Cli"] = [],
        ["OrleansDynamo.Aspire.Client"] = ["OrleansDynamo.Client"],
    };

    [Fact]
    public void Every_project_reference_under_src_follows_an_allowed_arrow()
    {
        var projects = Projects();
        Assert.NotEmpty(projects);
        foreach (var (name, project) in projects)
        {
            Assert.True(Allowed.TryGetValue(name, out var allowed), $"{name} is not in the allowed map: add it with the arrows it may have");
            var unexpected = ProjectReferences(project).Except(allowed).ToList();
            Assert.True(unexpected.Count == 0, $"{name} references {string.Join(", ", unexpected)}, which it may not");
        }
    }

    [Theory]
    [InlineData("OrleansDynamo.Grains", "AWSSDK.", "Npgsql", "Microsoft.Orleans.Clustering.AdoNet")]
    [InlineData("OrleansDynamo.Client", "AWSSDK.", "Npgsql", "Microsoft.Orleans.Clustering.AdoNet")]
    [InlineData("OrleansDynamo.Storage.Embedded", "AWSSDK.", "Npgsql")]
    [InlineData("OrleansDynamo.Core", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Client", "AWSSDK.")]
    public void A_package_does_not_bring_what_its_users_do_not_need(string project, params string[] forbidden)
    {
        var projects = Projects();
        var packages = PackagesWithDependencies(project, projects);
        var brought = packages.Where(package => forbidden.Any(f => package.StartsWith(f, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(brought.Count == 0, $"{project} brings {string.Join(", ", brought)}");
    }

    [Fact]
    public void Core_keeps_Orleans_namespaces_out_of_its_implicit_usings()
    {
        var usings = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "OrleansDynamo.Core", "OrleansDynamo.Core.csproj"));
        Assert.Contains("<Using Remove=\"Orleans;Orleans.Hosting;Orleans.Runtime\" />", usings);
    }

    /// <summary>The package references of <paramref name="name"/> and of every project it references, transitively.</summary>
    private static HashSet<string> PackagesWithDependencies(string name, Dictionary<string, XDocument> projects)
    {
        var packages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>();
        var pending = new Stack<string>([name]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            var project = projects[current];
            packages.UnionWith(project.Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!));
            foreach (var reference in ProjectReferences(project)) pending.Push(reference);
        }
        return packages;
    }

    private static IEnumerable<string> ProjectReferences(XDocument project) =>
        project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')));

    private static Dictionary<string, XDocument> Projects() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path), path => XDocument.Load(path));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansDynamo.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (OrleansDynamo.sln) is not above " + AppContext.BaseDirectory);
    }
}

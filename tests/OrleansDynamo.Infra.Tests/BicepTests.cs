using System.Reflection;
using System.Text.Json.Nodes;
using OrleansDynamo.Infra.Tests.Support;

namespace OrleansDynamo.Infra.Tests;

/// <summary>infra/azure/main.bicep, compiled by the Bicep CLI of the Azure.Bicep.CommandLine package into ARM JSON.</summary>
public sealed class BicepTests
{
    private const string Template = "infra/azure/main.bicep";

    private static readonly Lazy<(ToolResult Result, JsonObject? Arm)> Compiled = new(Compile);

    private static JsonObject Arm => Compiled.Value.Arm ?? throw new Xunit.Sdk.XunitException($"bicep build failed: {Compiled.Value.Result}");

    private static IReadOnlyList<JsonObject> Resources => Arm["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();

    private static JsonObject Resource(string type) => Resources.Single(r => (string?)r["type"] == type);

    [Fact]
    public void Compiles_without_errors_or_warnings()
    {
        var result = Compiled.Value.Result;
        Assert.True(result.ExitCode == 0, result.ToString());
        // Bicep prints warnings (unknown properties, linter rules) to stderr and still exits 0.
        Assert.True(result.Errors.Trim().Length == 0, $"bicep warned:\n{result.Errors}");
        Assert.NotNull(Compiled.Value.Arm);
    }

    [Fact]
    public void PostgreSQL_has_zone_redundant_high_availability_on_a_tier_that_allows_it()
    {
        var server = Resource("Microsoft.DBforPostgreSQL/flexibleServers");
        var highAvailability = server["properties"]!["highAvailability"]!;
        Assert.Equal("ZoneRedundant", (string?)highAvailability["mode"]);
        Assert.NotEqual((string?)server["properties"]!["availabilityZone"], (string?)highAvailability["standbyAvailabilityZone"]);
        // Burstable servers cannot have high availability.
        var tier = Arm["parameters"]!["postgresSkuTier"]!;
        Assert.Equal("[parameters('postgresSkuTier')]", (string?)server["sku"]!["tier"]);
        Assert.DoesNotContain("Burstable", tier["allowedValues"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("Disabled", (string?)server["properties"]!["network"]!["publicNetworkAccess"]);
    }

    [Fact]
    public void Passwords_and_credentials_are_secure_parameters_kept_as_container_app_secrets()
    {
        foreach (var name in new[] { "postgresAdminPassword", "credentialsJson", "registryPassword" })
            Assert.Equal("securestring", (string?)Arm["parameters"]![name]!["type"]);
        // Nothing secret is written to the deployment's outputs.
        Assert.All(Arm["outputs"]!.AsObject(), o => Assert.Equal("string", (string?)o.Value!["type"]));
        Assert.DoesNotContain(Arm["outputs"]!.AsObject(), o => o.Value!.ToJsonString().Contains("Password", StringComparison.OrdinalIgnoreCase));

        var app = Resource("Microsoft.App/containerApps");
        // The secrets list is an ARM expression (the registry's password joins it only with a registry).
        var secrets = (string)app["properties"]!["configuration"]!["secrets"]!;
        Assert.Contains("createObject('name', 'postgres-connection', 'value', format('Host=", secrets);
        Assert.Contains("parameters('postgresAdminPassword')", secrets);
        Assert.Contains("createObject('name', 'credentials-json', 'value', parameters('credentialsJson'))", secrets);
        var container = app["properties"]!["template"]!["containers"]![0]!;
        var env = container["env"]!.AsArray().Single(e => (string?)e!["name"] == "ODYN_POSTGRES")!;
        Assert.Equal("postgres-connection", (string?)env["secretRef"]);
        // The container sees the secrets through references only, never their values in env or args.
        var template = app["properties"]!["template"]!.ToJsonString();
        Assert.DoesNotContain("postgresAdminPassword", template);
        Assert.DoesNotContain("credentialsJson", template);
        var volume = app["properties"]!["template"]!["volumes"]![0]!;
        Assert.Equal("Secret", (string?)volume["storageType"]);
        Assert.Equal("credentials-json", (string?)volume["secrets"]![0]!["secretRef"]);
    }

    [Fact]
    public void Silos_run_as_a_fixed_cluster_on_PostgreSQL_probed_on_the_admin_port()
    {
        var app = Resource("Microsoft.App/containerApps");
        var container = app["properties"]!["template"]!["containers"]![0]!;
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();
        ServerSettings.AssertKnownFlags(args, Template);
        Assert.Equal("postgres", ServerSettings.ValueOf(args, "--storage"));
        Assert.Equal("postgres", ServerSettings.ValueOf(args, "--cluster"));
        Assert.Equal("0.0.0.0", ServerSettings.ValueOf(args, "--admin-address"));
        Assert.Equal("sigv4", ServerSettings.ValueOf(args, "--auth"));

        // The mount path of the credentials volume holds the file --credentials-file names.
        var mount = (string)container["volumeMounts"]![0]!["mountPath"]!;
        var file = (string)app["properties"]!["template"]!["volumes"]![0]!["secrets"]![0]!["path"]!;
        Assert.Equal($"{mount}/{file}", ServerSettings.ValueOf(args, "--credentials-file"));

        var probes = container["probes"]!.AsArray().ToDictionary(p => (string)p!["type"]!, p => p!["httpGet"]!);
        Assert.Equal("/health/live", (string?)probes["Liveness"]["path"]);
        Assert.Equal("/health/ready", (string?)probes["Readiness"]["path"]);
        Assert.Equal("[variables('adminPort')]", (string?)probes["Liveness"]["port"]);
        Assert.Equal("[variables('adminPort')]", (string?)probes["Readiness"]["port"]);
        Assert.Equal("[string(variables('adminPort'))]", ServerSettings.ValueOf(args, "--admin-port"));

        var scale = app["properties"]!["template"]!["scale"]!;
        Assert.Equal("[parameters('siloCount')]", (string?)scale["minReplicas"]);
        Assert.Equal("[parameters('siloCount')]", (string?)scale["maxReplicas"]);
        Assert.Equal(3, (int?)Arm["parameters"]!["siloCount"]!["defaultValue"]);
    }

    [Fact]
    public void Environment_is_zone_redundant_and_logs_to_Log_Analytics()
    {
        var environment = Resource("Microsoft.App/managedEnvironments");
        Assert.True((bool?)environment["properties"]!["zoneRedundant"]);
        Assert.Equal("log-analytics", (string?)environment["properties"]!["appLogsConfiguration"]!["destination"]);
        Assert.NotNull(Resource("Microsoft.OperationalInsights/workspaces"));
    }

    private static (ToolResult, JsonObject?) Compile()
    {
        var bicep = BicepExecutable();
        var result = Tool.Run(bicep, ["build", Repo.PathOf(Template), "--stdout"]);
        return (result, result.ExitCode == 0 ? JsonNode.Parse(result.Output)!.AsObject() : null);
    }

    /// <summary>tools/bicep of the restored package (its folder comes from MSBuild, see the project file), made executable.</summary>
    private static string BicepExecutable()
    {
        Assert.True(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "the Bicep CLI package referenced is the linux-x64 one");
        var root = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPackageRoot").Value;
        Assert.False(string.IsNullOrEmpty(root), "the project did not pass the Bicep package folder (PkgAzure_Bicep_CommandLine_linux-x64)");
        var bicep = Path.Combine(root, "tools", "bicep");
        Assert.True(File.Exists(bicep), $"no {bicep}");
        // NuGet does not always keep the execute bit when it extracts a package.
        var mode = File.GetUnixFileMode(bicep);
        if (!mode.HasFlag(UnixFileMode.UserExecute)) File.SetUnixFileMode(bicep, mode | UnixFileMode.UserExecute);
        return bicep;
    }
}

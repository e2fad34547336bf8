using System.Net.Http.Json;
using System.Text;
using static OrleansDynamo.Samples.Tests.PackedFeed;

namespace OrleansDynamo.Samples.Tests;

/// <summary>
/// The packages as a user meets them: their metadata, a new project outside the repository that runs the co-hosting
/// sample from the packages alone, and the server installed as a .NET tool and started with one command.
/// </summary>
public sealed class PackageTests(PackedFeed packed) : IClassFixture<PackedFeed>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Every_package_has_its_metadata_and_symbols()
    {
        foreach (var package in Packages)
        {
            var nupkg = Path.Combine(packed.Feed, $"{package}.{packed.Version}.nupkg");
            Assert.True(File.Exists(nupkg), $"{nupkg} was not packed");
            Assert.True(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), $"{package} has no symbols package");
            using var archive = System.IO.Compression.ZipFile.OpenRead(nupkg);
            Assert.NotNull(archive.GetEntry("README.md"));
            using var reader = new StreamReader(archive.GetEntry($"{package}.nuspec")!.Open());
            var nuspec = reader.ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
            Assert.Contains("<readme>README.md</readme>", nuspec);
            Assert.Matches("<description>[^<]{20,}</description>", nuspec);
            Assert.Contains("<repository type=\"git\"", nuspec);
        }
    }

    [Fact]
    public async Task A_new_project_runs_the_co_hosting_sample_from_the_packages()
    {
        var app = Path.Combine(packed.Folder, "cohosted");
        Directory.CreateDirectory(app);
        foreach (var source in Directory.GetFiles(Path.Combine(RepositoryRoot, "samples", "CoHostedApp"), "*.cs"))
            File.Copy(source, Path.Combine(app, Path.GetFileName(source)));
        await File.WriteAllTextAsync(Path.Combine(app, "CoHosted.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OrleansDynamo.Grains" Version="{packed.Version}" />
                <PackageReference Include="OrleansDynamo.Storage.Embedded" Version="{packed.Version}" />
                <PackageReference Include="Microsoft.Orleans.Server" Version="10.4.2" />
              </ItemGroup>
            </Project>
            """);
        await RunAsync("dotnet", ["build", "--nologo", "-v", "q"], app);

        var port = SampleServer.FreePort();
        using var process = Start("dotnet", ["run", "--no-build", "--", "--urls", $"http://127.0.0.1:{port}", "--SiloPort", SampleServer.FreePort().ToString(),
            "--GatewayPort", SampleServer.FreePort().ToString()], app, out var output);
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            using var empty = await WaitForAsync(() => Http.GetAsync(new Uri(baseAddress, "/playlists/none")), output);
            (await Http.PostAsync(new Uri(baseAddress, "/playlists/road/songs/Sinnerman"), null)).EnsureSuccessStatusCode();
            var second = await (await Http.PostAsync(new Uri(baseAddress, "/playlists/road/songs/Sinnerman"), null)).Content.ReadFromJsonAsync<Dictionary<string, int>>();
            Assert.Equal(2, second!["plays"]);
        }
        finally
        {
            Stop(process);
        }
    }

    [Fact]
    public async Task The_server_installs_as_a_dotnet_tool_and_starts_with_one_command()
    {
        var tools = Path.Combine(packed.Folder, "tools");
        await RunAsync("dotnet", ["tool", "install", "OrleansDynamo.Server", "--version", packed.Version, "--tool-path", tools, "--configfile", packed.NuGetConfig], packed.Folder);

        var port = SampleServer.FreePort();
        using var process = Start(Path.Combine(tools, "orleansdynamo"), ["--port", port.ToString(), "--in-memory", "--silo-port", SampleServer.FreePort().ToString(),
            "--gateway-port", SampleServer.FreePort().ToString(), "--admin-port", "0"], packed.Folder, out var output);
        try
        {
            using var response = await WaitForAsync(() => Http.SendAsync(ListTables(new Uri($"http://127.0.0.1:{port}/"))), output);
            Assert.True(response.IsSuccessStatusCode, output.ToString());
            Assert.Contains("\"TableNames\"", await response.Content.ReadAsStringAsync());
            // The start line reaches the pipe a moment after the port opens.
            for (var waited = 0; waited < 40 && !output.ToString().Contains("OrleansDynamo listening"); waited++) await Task.Delay(250);
            Assert.Contains("OrleansDynamo listening: DynamoDB API at", output.ToString());

            // The command line installs from the same feed and talks to that server.
            await RunAsync("dotnet", ["tool", "install", "OrleansDynamo.Cli", "--version", packed.Version, "--tool-path", tools, "--configfile", packed.NuGetConfig], packed.Folder);
            using var odyn = Start(Path.Combine(tools, "odyn"), ["tables", "--endpoint", $"http://127.0.0.1:{port}", "--json"], packed.Folder, out var odynOutput);
            await odyn.WaitForExitAsync();
            Assert.True(odyn.ExitCode == 0, odynOutput.ToString());
            Assert.StartsWith("[", odynOutput.ToString().Trim());
        }
        finally
        {
            Stop(process);
        }
    }

    private static HttpRequestMessage ListTables(Uri endpoint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent("{}", Encoding.UTF8) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
        return request;
    }

    /// <summary>Retries <paramref name="call"/> until the process answers (60 s at most).</summary>
    private static async Task<HttpResponseMessage> WaitForAsync(Func<Task<HttpResponseMessage>> call, StringBuilder output)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(250))
        {
            try
            {
                return await call();
            }
            catch (HttpRequestException e)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The process did not answer:\n" + output, e);
            }
        }
    }
}

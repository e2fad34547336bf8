using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using OrleansDynamo.Security;

namespace OrleansDynamo.Aspire.Tests;

/// <summary>
/// The application model that AddOrleansDynamo and its With* methods build, inspected without running anything: endpoints,
/// health check, the flags and ODYN_* variables each silo starts with, waits, and the connection string.
/// </summary>
public sealed class HostingTests
{
    [Fact]
    public async Task A_server_runs_the_tool_in_memory_with_four_ports_and_a_readiness_check()
    {
        var builder = DistributedApplication.CreateBuilder();
        var db = builder.AddOrleansDynamo("db");
        var server = db.Resource;

        Assert.Same(server, Assert.Single(builder.Resources.OfType<OrleansDynamoResource>()));
        Assert.Equal("orleansdynamo", server.Command);
        Assert.Equal(builder.AppHostDirectory, server.WorkingDirectory);
        var endpoints = server.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal(["admin", "gateway", "http", "silo"], endpoints.Keys.Order());
        Assert.Equal(("http", true), (endpoints["http"].UriScheme, endpoints["http"].IsProxied));
        Assert.Equal(("http", true), (endpoints["admin"].UriScheme, endpoints["admin"].IsProxied));
        Assert.Equal(("tcp", false), (endpoints["gateway"].UriScheme, endpoints["gateway"].IsProxied));
        Assert.Equal(("tcp", false), (endpoints["silo"].UriScheme, endpoints["silo"].IsProxied));
        var healthCheck = Assert.Single(server.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Contains("admin", healthCheck.Key);
        Assert.Contains("/health/ready", healthCheck.Key);
        Assert.Equal(OrleansDynamoStorage.InMemory, server.Storage);

        using var app = builder.Build();
        AllocateEndpoints(server, 41000);
        var (arguments, environment) = await ResolveAsync(app, server);
        Assert.Equal(["--in-memory"], arguments);
        Assert.Equal("41100", environment["ODYN_PORT"]);
        Assert.Equal("41101", environment["ODYN_ADMINPORT"]);
        Assert.Equal("41102", environment["ODYN_GATEWAYPORT"]);
        Assert.Equal("41103", environment["ODYN_SILOPORT"]);
        Assert.DoesNotContain("ODYN_POSTGRES", environment.Keys);
    }

    [Fact]
    public async Task The_connection_string_gives_the_endpoint_and_the_gateway()
    {
        var builder = DistributedApplication.CreateBuilder();
        var server = builder.AddOrleansDynamo("db").Resource;

        Assert.Equal("Endpoint={db.bindings.http.url};Gateway={db.bindings.gateway.host}:{db.bindings.gateway.port}",
            server.ConnectionStringExpression.ValueExpression);
        AllocateEndpoints(server, 42000);
        Assert.Equal("Endpoint=http://localhost:42000;Gateway=127.0.0.1:42002", await server.ConnectionStringExpression.GetValueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_server_project_the_AppHost_references_runs_with_dotnet_run_without_building()
    {
        var builder = DistributedApplication.CreateBuilder();
        var server = builder.AddOrleansDynamo<FakeServerProject>("db").Resource;

        Assert.Equal("dotnet", server.Command);
        using var app = builder.Build();
        AllocateEndpoints(server, 43000);
        var (arguments, _) = await ResolveAsync(app, server);
        Assert.Equal(["run", "--project", FakeServerProject.Path, "--no-build", "--no-launch-profile"], arguments.Take(5));
        Assert.Equal(["--", "--in-memory"], arguments.Skip(arguments.Count - 2));
    }

    [Fact]
    public async Task WithServerCommand_runs_every_silo_with_another_command()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:odyn"] = "Host=127.0.0.1;Database=odyn";
        var db = builder.AddOrleansDynamo("db").WithPostgres(builder.AddConnectionString("odyn")).WithReplicas(2)
            .WithServerCommand("dotnet", "exec", "/opt/orleansdynamo/OrleansDynamo.Server.dll");

        using var app = builder.Build();
        foreach (var silo in db.Resource.Silos)
        {
            Assert.Equal("dotnet", silo.Command);
            AllocateEndpoints(silo, 44000);
            var (arguments, _) = await ResolveAsync(app, silo);
            Assert.Equal(["exec", "/opt/orleansdynamo/OrleansDynamo.Server.dll", "--storage", "postgres"], arguments.Take(4));
        }
    }

    [Fact]
    public async Task WithDataDirectory_keeps_the_items_in_the_embedded_store()
    {
        var builder = DistributedApplication.CreateBuilder();
        var byDefault = builder.AddOrleansDynamo("db").WithDataDirectory();
        var chosen = builder.AddOrleansDynamo("other").WithDataDirectory("state/odyn");

        Assert.Equal(OrleansDynamoStorage.Embedded, byDefault.Resource.Storage);
        Assert.Equal(Path.Combine(builder.AppHostDirectory, ".orleansdynamo", "db"), byDefault.Resource.DataDirectory);
        Assert.Equal(Path.Combine(builder.AppHostDirectory, "state", "odyn"), chosen.Resource.DataDirectory);
        using var app = builder.Build();
        AllocateEndpoints(byDefault.Resource, 45000);
        var (arguments, _) = await ResolveAsync(app, byDefault.Resource);
        Assert.Equal(["--data-dir", Path.Combine(builder.AppHostDirectory, ".orleansdynamo", "db")], arguments);
    }

    [Fact]
    public async Task WithPostgres_clusters_on_the_database_given_in_ODYN_POSTGRES_and_waits_for_it()
    {
        var builder = DistributedApplication.CreateBuilder();
        var database = builder.AddPostgres("pg").AddDatabase("odyn");
        var server = builder.AddOrleansDynamo("db").WithPostgres(database).Resource;

        Assert.Equal(OrleansDynamoStorage.Postgres, server.Storage);
        Assert.Same(database.Resource, server.PostgresDatabase);
        Assert.Contains(server.Annotations.OfType<WaitAnnotation>(), wait => wait.Resource == database.Resource && wait.WaitType == WaitType.WaitUntilHealthy);

        // The container never runs, so its endpoint never gets a port: look at the values before they are resolved.
        using var app = builder.Build();
        var execution = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        var environment = new Dictionary<string, object>();
        foreach (var callback in server.Annotations.OfType<EnvironmentCallbackAnnotation>())
            await callback.Callback(new EnvironmentCallbackContext(execution, server, environment, CancellationToken.None));
        Assert.Equal(database.Resource.ConnectionStringExpression.ValueExpression, Assert.IsType<ReferenceExpression>(environment["ODYN_POSTGRES"]).ValueExpression);
        var arguments = new List<object>();
        foreach (var callback in server.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
            await callback.Callback(new CommandLineArgsCallbackContext(arguments, server, CancellationToken.None) { ExecutionContext = execution });
        Assert.Equal(["--storage", "postgres", "--cluster", "postgres", "--auth", "none"], arguments);
    }

    [Fact]
    public async Task WithReplicas_adds_silos_of_their_own_whose_gateways_the_connection_string_lists()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:odyn"] = "Host=127.0.0.1;Database=odyn";
        var database = builder.AddConnectionString("odyn");
        var db = builder.AddOrleansDynamo("db").WithReplicas(3).WithPostgres(database);
        var server = db.Resource;

        Assert.Equal(3, server.SiloCount);
        Assert.Equal(["db-silo2", "db-silo3"], server.AdditionalSilos.Select(s => s.Name));
        Assert.Equal(server.AdditionalSilos, builder.Resources.OfType<OrleansDynamoSiloResource>());
        using var app = builder.Build();
        var port = 47000;
        foreach (var silo in server.Silos)
        {
            Assert.Equal(["admin", "gateway", "http", "silo"], silo.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name).Order());
            Assert.Single(silo.Annotations.OfType<HealthCheckAnnotation>());
            Assert.Same(database.Resource, Assert.Single(silo.Annotations.OfType<WaitAnnotation>()).Resource);
            AllocateEndpoints(silo, port);
            var (arguments, environment) = await ResolveAsync(app, silo);
            Assert.Equal(["--storage", "postgres", "--cluster", "postgres", "--auth", "none"], arguments);
            Assert.Equal("Host=127.0.0.1;Database=odyn", environment["ODYN_POSTGRES"]);
            Assert.Equal((port + 103).ToString(), environment["ODYN_SILOPORT"]);
            port += 10;
        }
        Assert.All(server.AdditionalSilos, silo => Assert.Same(server, silo.Parent));
        Assert.Equal("Endpoint=http://localhost:47000;Gateway=127.0.0.1:47002,127.0.0.1:47012,127.0.0.1:47022",
            await server.ConnectionStringExpression.GetValueAsync(CancellationToken.None));

        db.WithReplicas(1);
        Assert.Empty(server.AdditionalSilos);
        Assert.Empty(builder.Resources.OfType<OrleansDynamoSiloResource>());
    }

    [Fact]
    public void Several_silos_without_a_shared_database_are_refused()
    {
        var builder = DistributedApplication.CreateBuilder();
        var db = builder.AddOrleansDynamo("db").WithReplicas(2);

        // What the BeforeStartEvent subscription runs (AppHostTests sees it stop a real start).
        var error = Assert.Throws<InvalidOperationException>(() => OrleansDynamoBuilderExtensions.Validate(db.Resource));
        Assert.Contains("WithPostgres", error.Message);
        db.WithDataDirectory();
        Assert.Throws<InvalidOperationException>(() => OrleansDynamoBuilderExtensions.Validate(db.Resource));
        db.WithPostgres(builder.AddConnectionString("odyn"));
        OrleansDynamoBuilderExtensions.Validate(db.Resource);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddOrleansDynamo("none").WithReplicas(0));
    }

    [Fact]
    public async Task WithCredentials_turns_on_signatures_with_a_credentials_file_and_hands_clients_the_key()
    {
        var builder = DistributedApplication.CreateBuilder();
        var server = builder.AddOrleansDynamo("db")
            .WithCredentials(builder.AddParameter("key", "AKODTEST"), builder.AddParameter("secret", "s3cret/with+base64=", secret: true)).Resource;

        AllocateEndpoints(server, 48000);
        Assert.Equal("Endpoint=http://localhost:48000;Gateway=127.0.0.1:48002;AccessKeyId=AKODTEST;SecretAccessKey=s3cret/with+base64=",
            await server.ConnectionStringExpression.GetValueAsync(CancellationToken.None));
        using var app = builder.Build();
        var (arguments, _) = await ResolveAsync(app, server);
        Assert.Equal(["--in-memory", "--auth", "sigv4", "--credentials-file"], arguments.Take(4));
        var file = arguments[4];
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        // The file is one the server reads: the key, its secret, and every DynamoDB and admin action allowed.
        Assert.True(CredentialStore.Load(file).TryFind("AKODTEST", out var principal));
        Assert.Equal("s3cret/with+base64=", principal.SecretAccessKey);
        Assert.Equal(AccessPolicy.Decision.Allowed, principal.Policy.Evaluate("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:000000000000:table/Music"));
        Assert.Equal(AccessPolicy.Decision.Allowed, principal.Policy.Evaluate("odyn:Admin", "*"));
    }

    [Fact]
    public void Fixed_credentials_must_fit_in_a_connection_string()
    {
        var builder = DistributedApplication.CreateBuilder();
        var db = builder.AddOrleansDynamo("db");
        Assert.Throws<ArgumentException>(() => db.WithCredentials("key", "se;cret"));
        db.WithCredentials("key", "secret");
        Assert.Equal("key", db.Resource.AccessKeyId!.ValueExpression);
        Assert.Equal("secret", db.Resource.SecretAccessKey!.ValueExpression);
        using var json = JsonDocument.Parse(OrleansDynamoBuilderExtensions.CredentialsJson("a\"b", "c\\d"));
        Assert.Equal("a\"b", json.RootElement.GetProperty("principals")[0].GetProperty("accessKeyId").GetString());
    }

    /// <summary>What DCP would do: a host port for each endpoint (from <paramref name="firstPort"/>), the process's own 100 above.</summary>
    private static void AllocateEndpoints(IResource resource, int firstPort)
    {
        var port = firstPort;
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().OrderBy(e => Order(e.Name)))
        {
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port, targetPortExpression: (port + 100).ToString());
            port++;
        }
    }

    private static int Order(string endpoint) => Array.IndexOf(["http", "admin", "gateway", "silo"], endpoint);

    /// <summary>The command line after the command, and the environment, as the silo would start with them.</summary>
    private static async Task<(List<string> Arguments, Dictionary<string, string> Environment)> ResolveAsync(DistributedApplication app, IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource).WithArgumentsConfig().WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>());
        Assert.Null(configuration.Exception);
        return ([.. configuration.Arguments.Select(a => a.Value)], configuration.EnvironmentVariables.ToDictionary(v => v.Key, v => v.Value));
    }

    private sealed class FakeServerProject : IProjectMetadata
    {
        public const string Path = "/src/OrleansDynamo.Server/OrleansDynamo.Server.csproj";

        public string ProjectPath => Path;

        public bool SuppressBuild => true;
    }
}

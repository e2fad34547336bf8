using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// Adds an OrleansDynamo server to an Aspire AppHost and chooses its storage, size and authentication.
/// </summary>
/// <example>
/// <code>
/// var db = builder.AddOrleansDynamo("db");                         // the orleansdynamo .NET tool, data in memory
/// builder.AddProject&lt;Projects.Api&gt;("api").WithReference(db).WaitFor(db);
///
/// // Three silos sharing a PostgreSQL database (Aspire.Hosting.PostgreSQL):
/// var pg = builder.AddPostgres("pg").AddDatabase("odyn");
/// builder.AddOrleansDynamo("db").WithPostgres(pg).WithReplicas(3);
/// </code>
/// </example>
public static class OrleansDynamoBuilderExtensions
{
    /// <summary>The command of the server's .NET tool (<c>dotnet tool install --global OrleansDynamo.Server</c>).</summary>
    public const string ToolCommand = "orleansdynamo";

    /// <summary>
    /// Adds an OrleansDynamo server run by the <c>orleansdynamo</c> .NET tool, which must be on the PATH
    /// (<c>dotnet tool install --global OrleansDynamo.Server</c>); <see cref="WithServerCommand"/> runs it otherwise.
    /// It keeps its items in memory until <see cref="WithDataDirectory"/> or <see cref="WithPostgres"/>.
    /// </summary>
    public static IResourceBuilder<OrleansDynamoResource> AddOrleansDynamo(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return AddServer(builder, name, ToolCommand, []);
    }

    /// <summary>
    /// Adds an OrleansDynamo server built from a project the AppHost references (<c>Projects.OrleansDynamo_Server</c>,
    /// say): it runs as <c>dotnet run --project PATH --no-build</c> in the AppHost's configuration, as the AppHost's build
    /// builds its referenced projects (without <c>--no-build</c> for metadata that does not say so).
    /// </summary>
    public static IResourceBuilder<OrleansDynamoResource> AddOrleansDynamo<TServerProject>(this IDistributedApplicationBuilder builder,
        [ResourceName] string name) where TServerProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return AddServer(builder, name, "dotnet", DotnetRunArguments(builder, new TServerProject()));
    }

    /// <summary>
    /// Runs the server with another command: <c>WithServerCommand("dotnet", "exec", "/opt/orleansdynamo/OrleansDynamo.Server.dll")</c>,
    /// or a tool installed elsewhere, <c>WithServerCommand("/opt/tools/orleansdynamo")</c>. The server's flags follow
    /// <paramref name="arguments"/>. Applies to every silo.
    /// </summary>
    public static IResourceBuilder<OrleansDynamoResource> WithServerCommand(this IResourceBuilder<OrleansDynamoResource> builder, string command,
        params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var cluster = builder.Resource;
        cluster.LaunchArguments = [.. arguments];
        foreach (var silo in cluster.Silos) builder.ApplicationBuilder.CreateResourceBuilder(silo).WithCommand(command);
        return builder;
    }

    /// <summary>
    /// Keeps the items in the embedded store in <paramref name="path"/> (relative to the AppHost's folder;
    /// <c>.orleansdynamo/NAME</c> there by default), so that they survive restarts of the AppHost. One silo only.
    /// </summary>
    public static IResourceBuilder<OrleansDynamoResource> WithDataDirectory(this IResourceBuilder<OrleansDynamoResource> builder, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.Resource;
        cluster.Storage = OrleansDynamoStorage.Embedded;
        cluster.DataDirectory = Path.GetFullPath(path ?? Path.Combine(".orleansdynamo", cluster.Name), builder.ApplicationBuilder.AppHostDirectory);
        cluster.PostgresDatabase = null;
        return builder;
    }

    /// <summary>
    /// Keeps the items and the cluster's membership in a PostgreSQL database: <c>--storage postgres --cluster postgres</c>,
    /// with the connection string in <c>ODYN_POSTGRES</c> (never on the command line). Takes a database of
    /// Aspire.Hosting.PostgreSQL (<c>AddPostgres("pg").AddDatabase("odyn")</c>) or any connection string resource
    /// (<c>AddConnectionString("odyn")</c>). The silos wait for it. Needed by <see cref="WithReplicas"/>.
    /// </summary>
    public static IResourceBuilder<OrleansDynamoResource> WithPostgres(this IResourceBuilder<OrleansDynamoResource> builder,
        IResourceBuilder<IResourceWithConnectionString> database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        var cluster = builder.Resource;
        cluster.Storage = OrleansDynamoStorage.Postgres;
        cluster.PostgresDatabase = database.Resource;
        cluster.DataDirectory = null;
        foreach (var silo in cluster.Silos) builder.ApplicationBuilder.CreateResourceBuilder(silo).WaitFor(database);
        return builder;
    }

    /// <summary>
    /// Runs the cluster as <paramref name="replicas"/> silos: this resource and <c>NAME-silo2</c>, <c>NAME-silo3</c>, ...
    /// (each an <see cref="OrleansDynamoSiloResource"/> with ports of its own), which share the PostgreSQL database of
    /// <see cref="WithPostgres"/>. The connection string lists every silo's gateway.
    /// </summary>
    public static IResourceBuilder<OrleansDynamoResource> WithReplicas(this IResourceBuilder<OrleansDynamoResource> builder, int replicas)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        var cluster = builder.Resource;
        var silos = cluster.MutableAdditionalSilos;
        while (silos.Count > replicas - 1)
        {
            builder.ApplicationBuilder.Resources.Remove(silos[^1]);
            silos.RemoveAt(silos.Count - 1);
        }
        while (silos.Count < replicas - 1)
        {
            var silo = new OrleansDynamoSiloResource($"{cluster.Name}-silo{silos.Count + 2}", cluster.Command, cluster.WorkingDirectory, cluster);
            var siloBuilder = builder.ApplicationBuilder.AddResource(silo);
            ConfigureSilo(siloBuilder, cluster);
            if (cluster.PostgresDatabase is { } database) siloBuilder.WaitFor(builder.ApplicationBuilder.CreateResourceBuilder(database));
            silos.Add(silo);
        }
        return builder;
    }

    /// <summary>
    /// Turns on SigV4 authentication (<c>--auth sigv4</c>) with one principal allowed everything: a credentials file holding
    /// this key is written for the silos, and the connection string carries it for clients.
    /// </summary>
    public static IResourceBuilder<OrleansDynamoResource> WithCredentials(this IResourceBuilder<OrleansDynamoResource> builder,
        IResourceBuilder<ParameterResource> accessKeyId, IResourceBuilder<ParameterResource> secretAccessKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(accessKeyId);
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        builder.Resource.AccessKeyId = ReferenceExpression.Create($"{accessKeyId.Resource}");
        builder.Resource.SecretAccessKey = ReferenceExpression.Create($"{secretAccessKey.Resource}");
        return builder;
    }

    /// <summary>The same with a fixed key, for development: neither may contain <c>;</c>.</summary>
    public static IResourceBuilder<OrleansDynamoResource> WithCredentials(this IResourceBuilder<OrleansDynamoResource> builder,
        string accessKeyId, string secretAccessKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKeyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretAccessKey);
        if (accessKeyId.Contains(';') || secretAccessKey.Contains(';'))
            throw new ArgumentException("The access key and its secret go into a connection string: they may not contain ';'");
        builder.Resource.AccessKeyId = ReferenceExpression.Create($"{accessKeyId}");
        builder.Resource.SecretAccessKey = ReferenceExpression.Create($"{secretAccessKey}");
        return builder;
    }

    private static IResourceBuilder<OrleansDynamoResource> AddServer(IDistributedApplicationBuilder builder, string name, string command,
        IReadOnlyList<string> launchArguments)
    {
        var cluster = new OrleansDynamoResource(name, command, builder.AppHostDirectory) { LaunchArguments = launchArguments };
        var result = builder.AddResource(cluster);
        ConfigureSilo(result, cluster);
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            Validate(cluster);
            return Task.CompletedTask;
        });
        return result;
    }

    /// <summary>What every silo has: its four ports (given to the server as <c>ODYN_*</c> variables), health, flags and database.</summary>
    private static void ConfigureSilo<T>(IResourceBuilder<T> silo, OrleansDynamoResource cluster) where T : ExecutableResource
    {
        silo.WithHttpEndpoint(name: OrleansDynamoResource.HttpEndpointName, env: "ODYN_PORT")
            .WithHttpEndpoint(name: OrleansDynamoResource.AdminEndpointName, env: "ODYN_ADMINPORT")
            // No proxy in front of the Orleans ports: silos advertise and dial the ports they listen on, and an Orleans
            // client connected through Aspire's proxy gets no answer to its first call (the cluster manifest).
            .WithEndpoint(name: OrleansDynamoResource.GatewayEndpointName, scheme: "tcp", env: "ODYN_GATEWAYPORT", isProxied: false)
            .WithEndpoint(name: OrleansDynamoResource.SiloEndpointName, scheme: "tcp", env: "ODYN_SILOPORT", isProxied: false)
            .WithHttpHealthCheck("/health/ready", endpointName: OrleansDynamoResource.AdminEndpointName)
            .WithArgs(context => AddArgumentsAsync(context, cluster))
            .WithEnvironment(context =>
            {
                if (cluster.Storage == OrleansDynamoStorage.Postgres && cluster.PostgresDatabase is { } database)
                    context.EnvironmentVariables["ODYN_POSTGRES"] = database.ConnectionStringExpression;
            });
    }

    /// <summary>The server's flags for the cluster's storage and authentication, after the launch arguments.</summary>
    private static async Task AddArgumentsAsync(CommandLineArgsCallbackContext context, OrleansDynamoResource cluster)
    {
        foreach (var argument in cluster.LaunchArguments) context.Args.Add(argument);
        switch (cluster.Storage)
        {
            case OrleansDynamoStorage.Embedded:
                context.Args.Add("--data-dir");
                context.Args.Add(cluster.DataDirectory!);
                break;
            case OrleansDynamoStorage.Postgres:
                foreach (var flag in new[] { "--storage", "postgres", "--cluster", "postgres" }) context.Args.Add(flag);
                break;
            default:
                context.Args.Add("--in-memory");
                break;
        }
        if (cluster.AccessKeyId is { } accessKeyId && cluster.SecretAccessKey is { } secretAccessKey)
        {
            context.Args.Add("--auth");
            context.Args.Add("sigv4");
            context.Args.Add("--credentials-file");
            context.Args.Add(context.ExecutionContext is { IsRunMode: true } execution
                ? await WriteCredentialsFileAsync(execution.Services, cluster.Name, accessKeyId, secretAccessKey, context.CancellationToken)
                : "credentials.json");
        }
        else if (cluster.Storage == OrleansDynamoStorage.Postgres)
        {
            // --cluster postgres turns signatures on unless told otherwise; without credentials, nobody could sign.
            context.Args.Add("--auth");
            context.Args.Add("none");
        }
    }

    /// <summary>
    /// The server's credentials file with one principal allowed every DynamoDB and admin action, written to the AppHost's
    /// Aspire store (under its obj folder), readable by this user only. The same key gives the same file.
    /// </summary>
    private static async Task<string> WriteCredentialsFileAsync(IServiceProvider services, string name, ReferenceExpression accessKeyId,
        ReferenceExpression secretAccessKey, CancellationToken cancellationToken)
    {
        var credentials = CredentialsJson(await accessKeyId.GetValueAsync(cancellationToken) ?? "", await secretAccessKey.GetValueAsync(cancellationToken) ?? "");
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(credentials));
        var path = services.GetRequiredService<IAspireStore>().GetFileNameWithContent($"{name}-credentials.json", content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>The credentials file's text: <c>{"principals": [...]}</c>, as the server reads it.</summary>
    internal static string CredentialsJson(string accessKeyId, string secretAccessKey) =>
        new JsonObject
        {
            ["principals"] = new JsonArray(new JsonObject
            {
                ["name"] = "aspire",
                ["accessKeyId"] = accessKeyId,
                ["secretAccessKey"] = secretAccessKey,
                ["policy"] = new JsonObject
                {
                    ["Statement"] = new JsonArray(new JsonObject
                    {
                        ["Effect"] = "Allow",
                        ["Action"] = new JsonArray("dynamodb:*", "odyn:Admin"),
                        ["Resource"] = "*",
                    }),
                },
            }),
        }.ToJsonString();

    /// <summary>Settings that cannot work together, found before anything starts.</summary>
    internal static void Validate(OrleansDynamoResource cluster)
    {
        if (cluster.SiloCount > 1 && cluster.Storage != OrleansDynamoStorage.Postgres)
            throw new InvalidOperationException(
                $"OrleansDynamo '{cluster.Name}' has {cluster.SiloCount} silos but no shared database: WithReplicas needs WithPostgres, where the silos keep their items and membership");
    }

    /// <summary><c>dotnet run</c> of a built project, in the AppHost's configuration, without its launch profile.</summary>
    private static List<string> DotnetRunArguments(IDistributedApplicationBuilder builder, IProjectMetadata project)
    {
        List<string> arguments = ["run", "--project", project.ProjectPath];
        if (project.SuppressBuild) arguments.Add("--no-build");
        arguments.Add("--no-launch-profile");
        if (builder.AppHostAssembly?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration)
            arguments.AddRange(["--configuration", configuration]);
        arguments.Add("--");
        return arguments;
    }
}

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Where the silos of an <see cref="OrleansDynamoResource"/> keep their items.</summary>
public enum OrleansDynamoStorage
{
    /// <summary>In memory (the server's <c>--in-memory</c>): nothing survives a restart of the AppHost. The default.</summary>
    InMemory,

    /// <summary>The embedded store in a folder on this machine (<c>--data-dir</c>); one silo only.</summary>
    Embedded,

    /// <summary>A PostgreSQL database, which also holds the cluster's membership (<c>--storage postgres --cluster postgres</c>).</summary>
    Postgres,
}

/// <summary>
/// An OrleansDynamo server in an Aspire application, and its first silo: it serves the DynamoDB API over HTTP (endpoint
/// <c>http</c>), Orleans clients on its gateway (endpoint <c>gateway</c>, TCP) and its health at <c>/health/ready</c> on
/// endpoint <c>admin</c>. With <c>WithReplicas</c> the cluster has more silos, each a
/// <see cref="OrleansDynamoSiloResource"/> of its own.
/// </summary>
/// <remarks>
/// The connection string gives clients what they need:
/// <c>Endpoint=http://localhost:PORT;Gateway=127.0.0.1:PORT[,127.0.0.1:PORT...]</c>, one gateway per silo, and
/// <c>;AccessKeyId=...;SecretAccessKey=...</c> when the server checks signatures (<c>WithCredentials</c>).
/// </remarks>
public sealed class OrleansDynamoResource : ExecutableResource, IResourceWithConnectionString
{
    /// <summary>The DynamoDB API over HTTP (the server's <c>--port</c>).</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The Orleans gateway, for Orleans clients (the server's <c>--gateway-port</c>).</summary>
    public const string GatewayEndpointName = "gateway";

    /// <summary>The admin port: health probes, metrics, the console (the server's <c>--admin-port</c>).</summary>
    public const string AdminEndpointName = "admin";

    /// <summary>Silo-to-silo traffic (the server's <c>--silo-port</c>); not for clients.</summary>
    public const string SiloEndpointName = "silo";

    private readonly List<OrleansDynamoSiloResource> _additionalSilos = [];
    private EndpointReference? _httpEndpoint, _gatewayEndpoint, _adminEndpoint;

    /// <summary>A server started with <paramref name="command"/> in <paramref name="workingDirectory"/>.</summary>
    public OrleansDynamoResource(string name, string command, string workingDirectory) : base(name, command, workingDirectory)
    {
    }

    /// <summary>The DynamoDB API endpoint of this silo.</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <summary>The Orleans gateway of this silo.</summary>
    public EndpointReference GatewayEndpoint => _gatewayEndpoint ??= new(this, GatewayEndpointName);

    /// <summary>The admin endpoint of this silo (<c>/health/ready</c>, <c>/metrics</c>, <c>/admin/...</c>).</summary>
    public EndpointReference AdminEndpoint => _adminEndpoint ??= new(this, AdminEndpointName);

    /// <summary>Where the silos keep their items: in memory unless <c>WithDataDirectory</c> or <c>WithPostgres</c> says otherwise.</summary>
    public OrleansDynamoStorage Storage { get; internal set; } = OrleansDynamoStorage.InMemory;

    /// <summary>The embedded store's folder, with <see cref="OrleansDynamoStorage.Embedded"/>.</summary>
    public string? DataDirectory { get; internal set; }

    /// <summary>The PostgreSQL database of items and membership, with <see cref="OrleansDynamoStorage.Postgres"/>.</summary>
    public IResourceWithConnectionString? PostgresDatabase { get; internal set; }

    /// <summary>The access key clients sign with, when the server checks signatures; null otherwise.</summary>
    public ReferenceExpression? AccessKeyId { get; internal set; }

    /// <summary>The secret of <see cref="AccessKeyId"/>.</summary>
    public ReferenceExpression? SecretAccessKey { get; internal set; }

    /// <summary>The silos after this one, added by <c>WithReplicas</c>.</summary>
    public IReadOnlyList<OrleansDynamoSiloResource> AdditionalSilos => _additionalSilos;

    /// <summary>How many silos the cluster has, this one included.</summary>
    public int SiloCount => 1 + _additionalSilos.Count;

    /// <summary>Arguments that come before the server's own flags (<c>run --project ... --</c>, say).</summary>
    internal IReadOnlyList<string> LaunchArguments { get; set; } = [];

    internal List<OrleansDynamoSiloResource> MutableAdditionalSilos => _additionalSilos;

    /// <summary>Every silo's resource, this one first.</summary>
    internal IEnumerable<ExecutableResource> Silos => [this, .. _additionalSilos];

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression
    {
        get
        {
            var builder = new ReferenceExpressionBuilder();
            builder.Append($"Endpoint={HttpEndpoint.Property(EndpointProperty.Url)};Gateway=");
            AppendGateway(builder, GatewayEndpoint);
            foreach (var silo in _additionalSilos)
            {
                builder.AppendLiteral(",");
                AppendGateway(builder, silo.GatewayEndpoint);
            }
            if (AccessKeyId is { } accessKeyId && SecretAccessKey is { } secretAccessKey)
                builder.Append($";AccessKeyId={accessKeyId};SecretAccessKey={secretAccessKey}");
            return builder.Build();
        }
    }

    /// <summary>An IPv4 address rather than <c>localhost</c>: Orleans clients take IP endpoints.</summary>
    private static void AppendGateway(ReferenceExpressionBuilder builder, EndpointReference gateway) =>
        builder.Append($"{gateway.Property(EndpointProperty.IPV4Host)}:{gateway.Property(EndpointProperty.Port)}");
}

/// <summary>
/// A further silo of an <see cref="OrleansDynamoResource"/> cluster (<c>WithReplicas</c>): the same server with the same
/// storage, on ports of its own. Clients reach it through the cluster's connection string, which lists its gateway.
/// </summary>
public sealed class OrleansDynamoSiloResource : ExecutableResource, IResourceWithParent<OrleansDynamoResource>
{
    private EndpointReference? _httpEndpoint, _gatewayEndpoint, _adminEndpoint;

    /// <summary>A silo of <paramref name="parent"/>, started with <paramref name="command"/>.</summary>
    public OrleansDynamoSiloResource(string name, string command, string workingDirectory, OrleansDynamoResource parent)
        : base(name, command, workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(parent);
        Parent = parent;
    }

    /// <summary>The cluster's resource, its first silo.</summary>
    public OrleansDynamoResource Parent { get; }

    /// <summary>The DynamoDB API endpoint of this silo.</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, OrleansDynamoResource.HttpEndpointName);

    /// <summary>The Orleans gateway of this silo.</summary>
    public EndpointReference GatewayEndpoint => _gatewayEndpoint ??= new(this, OrleansDynamoResource.GatewayEndpointName);

    /// <summary>The admin endpoint of this silo.</summary>
    public EndpointReference AdminEndpoint => _adminEndpoint ??= new(this, OrleansDynamoResource.AdminEndpointName);
}

using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansDynamo.Aspire.Client;
using OrleansDynamo.Client.Hosting;
using OrleansDynamo.Client.Security;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers clients of an OrleansDynamo server that an Aspire AppHost runs (<c>builder.AddOrleansDynamo("db")</c>
/// there, <c>.WithReference(db)</c> on this application), from the connection string <c>ConnectionStrings:db</c>.
/// </summary>
/// <example>
/// <code>
/// var builder = WebApplication.CreateBuilder(args);
/// builder.AddOrleansDynamoClient("db");          // inject IAmazonDynamoDB: the AWS SDK over HTTP
/// builder.AddOrleansDynamoOrleansClient("db");   // or IDynamoDb: the Orleans client on the gateways
/// </code>
/// </example>
public static class AspireOrleansDynamoExtensions
{
    /// <summary>
    /// Registers the AWS SDK's <see cref="IAmazonDynamoDB"/> (a singleton <see cref="AmazonDynamoDBClient"/>) talking HTTP to
    /// the connection string's <c>Endpoint</c>, signing with its key (or a placeholder key where the server checks none).
    /// </summary>
    /// <param name="builder">The application's builder.</param>
    /// <param name="connectionName">The name of the OrleansDynamo resource in the AppHost, and of its connection string.</param>
    /// <param name="configureSettings">Changes the settings after the configuration and the connection string are read.</param>
    /// <param name="configureClient">Changes the AWS SDK's client configuration (retries, timeouts) before the client is made.</param>
    public static void AddOrleansDynamoClient(this IHostApplicationBuilder builder, string connectionName,
        Action<OrleansDynamoClientSettings>? configureSettings = null, Action<AmazonDynamoDBConfig>? configureClient = null)
    {
        var settings = ReadSettings(builder, connectionName, configureSettings);
        builder.Services.AddSingleton<IAmazonDynamoDB>(_ => CreateAmazonClient(settings, configureClient));
    }

    /// <summary>The same as a keyed service, under <paramref name="name"/>, for an application that talks to several servers.</summary>
    public static void AddKeyedOrleansDynamoClient(this IHostApplicationBuilder builder, string name,
        Action<OrleansDynamoClientSettings>? configureSettings = null, Action<AmazonDynamoDBConfig>? configureClient = null)
    {
        var settings = ReadSettings(builder, name, configureSettings);
        builder.Services.AddKeyedSingleton<IAmazonDynamoDB>(name, (_, _) => CreateAmazonClient(settings, configureClient));
    }

    /// <summary>
    /// Configures this application's Orleans client to connect to the connection string's <c>Gateway</c> list
    /// (<c>UseOrleansDynamoGateways</c>), proving itself with the connection string's key when it has one, and registers
    /// <c>IDynamoDb</c> on it: no HTTP and no JSON between this application and the silos.
    /// </summary>
    /// <param name="builder">The application's builder.</param>
    /// <param name="connectionName">The name of the OrleansDynamo resource in the AppHost, and of its connection string.</param>
    /// <param name="configureSettings">Changes the settings after the configuration and the connection string are read.</param>
    /// <param name="configureClient">Changes the Orleans client's options (response timeout, TLS) after the settings are applied.</param>
    public static void AddOrleansDynamoOrleansClient(this IHostApplicationBuilder builder, string connectionName,
        Action<OrleansDynamoClientSettings>? configureSettings = null, Action<OrleansDynamoClientOptions>? configureClient = null)
    {
        var settings = ReadSettings(builder, connectionName, configureSettings, needsEndpoint: false);
        if (settings.Gateways.Count == 0)
            throw new InvalidOperationException(
                $"The OrleansDynamo connection '{connectionName}' names no gateway: give 'Gateway=host:port' in 'ConnectionStrings:{connectionName}' " +
                $"or 'Gateway' in the '{OrleansDynamoClientSettings.DefaultConfigSectionName}' section");
        var gateways = settings.ResolveGateways();
        builder.UseOrleansClient(client => client.UseOrleansDynamoGateways(gateways, options =>
        {
            options.Region = settings.Region;
            if (settings.HasCredentials) options.Credentials = new OrleansDynamoCredentials(settings.AccessKeyId!, settings.SecretAccessKey!);
            configureClient?.Invoke(options);
        }));
    }

    /// <summary>The configuration section, then the connection string, then the application's callback.</summary>
    internal static OrleansDynamoClientSettings ReadSettings(IHostApplicationBuilder builder, string connectionName,
        Action<OrleansDynamoClientSettings>? configureSettings, bool needsEndpoint = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var settings = new OrleansDynamoClientSettings();
        settings.ReadConfiguration(builder.Configuration.GetSection(OrleansDynamoClientSettings.DefaultConfigSectionName));
        settings.ParseConnectionString(builder.Configuration.GetConnectionString(connectionName));
        configureSettings?.Invoke(settings);
        if (needsEndpoint && settings.Endpoint is null)
            throw new InvalidOperationException(
                $"The OrleansDynamo connection '{connectionName}' has no endpoint: give 'Endpoint=http://host:port' in 'ConnectionStrings:{connectionName}' " +
                $"or 'Endpoint' in the '{OrleansDynamoClientSettings.DefaultConfigSectionName}' section");
        return settings;
    }

    /// <summary>The AWS SDK's client for the settings' endpoint.</summary>
    internal static AmazonDynamoDBClient CreateAmazonClient(OrleansDynamoClientSettings settings, Action<AmazonDynamoDBConfig>? configureClient = null)
    {
        var config = new AmazonDynamoDBConfig { ServiceURL = settings.Endpoint!.ToString(), AuthenticationRegion = settings.Region };
        configureClient?.Invoke(config);
        // A server without signature checks takes any key; the SDK wants one all the same.
        var credentials = settings.HasCredentials
            ? new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey)
            : new BasicAWSCredentials("orleansdynamo", "orleansdynamo");
        return new AmazonDynamoDBClient(credentials, config);
    }
}

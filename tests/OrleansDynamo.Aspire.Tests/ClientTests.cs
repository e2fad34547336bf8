using System.Net;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansDynamo.Aspire.Client;
using IDynamoDb = OrleansDynamo.Operations.IDynamoDb;

namespace OrleansDynamo.Aspire.Tests;

/// <summary>
/// The client integration: how it reads the connection string an AppHost hands over, and what it registers from it.
/// </summary>
public sealed class ClientTests
{
    [Fact]
    public void A_connection_string_gives_the_endpoint_the_gateways_the_key_and_the_region()
    {
        var settings = new OrleansDynamoClientSettings();
        settings.ParseConnectionString(
            "Endpoint=http://localhost:8000;Gateway=127.0.0.1:30000, localhost:30001;AccessKeyId=AKOD1;SecretAccessKey=ab/c+d=e=;Region=eu-west-1");

        Assert.Equal(new Uri("http://localhost:8000"), settings.Endpoint);
        Assert.Equal(["127.0.0.1:30000", "localhost:30001"], settings.Gateways);
        Assert.Equal("AKOD1", settings.AccessKeyId);
        Assert.Equal("ab/c+d=e=", settings.SecretAccessKey);
        Assert.Equal("eu-west-1", settings.Region);
        Assert.True(settings.HasCredentials);
    }

    [Fact]
    public void Keys_are_read_in_any_case_others_are_ignored_and_a_bare_URL_is_the_endpoint()
    {
        var settings = new OrleansDynamoClientSettings();
        settings.ParseConnectionString("endpoint=https://dynamo.example:8443;GATEWAY=10.0.0.5:30000;Flavor=plain");
        Assert.Equal(new Uri("https://dynamo.example:8443"), settings.Endpoint);
        Assert.Equal(["10.0.0.5:30000"], settings.Gateways);
        Assert.False(settings.HasCredentials);
        Assert.Equal("us-east-1", settings.Region);

        var bare = new OrleansDynamoClientSettings();
        bare.ParseConnectionString("http://localhost:8000");
        Assert.Equal(new Uri("http://localhost:8000"), bare.Endpoint);
        Assert.Empty(bare.Gateways);

        Assert.Throws<FormatException>(() => new OrleansDynamoClientSettings().ParseConnectionString("Endpoint=ftp://localhost:21"));
    }

    [Fact]
    public void Gateways_become_IP_endpoints_with_host_names_looked_up()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30000), OrleansDynamoClientSettings.ResolveGateway("localhost:30000"));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 30001), OrleansDynamoClientSettings.ResolveGateway(" 10.1.2.3:30001 "));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 30002), OrleansDynamoClientSettings.ResolveGateway("[::1]:30002"));
        Assert.Throws<FormatException>(() => OrleansDynamoClientSettings.ResolveGateway("127.0.0.1"));
        Assert.Throws<FormatException>(() => OrleansDynamoClientSettings.ResolveGateway("localhost:http"));
    }

    [Fact]
    public void The_configuration_section_comes_first_then_the_connection_string_then_the_callback()
    {
        var builder = NewBuilder();
        builder.Configuration["Aspire:OrleansDynamo:Client:Endpoint"] = "http://configured:1";
        builder.Configuration["Aspire:OrleansDynamo:Client:Region"] = "ap-south-1";
        builder.Configuration["Aspire:OrleansDynamo:Client:Gateways:0"] = "127.0.0.1:1";
        builder.Configuration["Aspire:OrleansDynamo:Client:Gateways:1"] = "127.0.0.1:2";
        builder.Configuration["ConnectionStrings:db"] = "Endpoint=http://from-aspire:2";

        var settings = AspireOrleansDynamoExtensions.ReadSettings(builder, "db", s => s.AccessKeyId = "set-in-code");
        Assert.Equal(new Uri("http://from-aspire:2"), settings.Endpoint);
        Assert.Equal("ap-south-1", settings.Region);
        Assert.Equal(["127.0.0.1:1", "127.0.0.1:2"], settings.Gateways);
        Assert.Equal("set-in-code", settings.AccessKeyId);
        Assert.False(settings.HasCredentials);
    }

    [Fact]
    public void AddOrleansDynamoClient_registers_the_AWS_SDK_on_the_endpoint()
    {
        var builder = NewBuilder();
        builder.Configuration["ConnectionStrings:db"] = "Endpoint=http://localhost:8123;Gateway=127.0.0.1:30000;AccessKeyId=AKOD;SecretAccessKey=s;Region=eu-north-1";
        builder.AddOrleansDynamoClient("db", configureClient: config => config.MaxErrorRetry = 7);
        builder.AddKeyedOrleansDynamoClient("other", s => s.Endpoint = new Uri("http://localhost:9999"));

        using var host = builder.Build();
        var client = Assert.IsType<AmazonDynamoDBClient>(host.Services.GetRequiredService<IAmazonDynamoDB>());
        Assert.Equal("http://localhost:8123/", client.Config.ServiceURL);
        Assert.Equal("eu-north-1", client.Config.AuthenticationRegion);
        Assert.Equal(7, client.Config.MaxErrorRetry);
        var other = host.Services.GetRequiredKeyedService<IAmazonDynamoDB>("other");
        Assert.Equal("http://localhost:9999/", other.Config.ServiceURL);
    }

    [Fact]
    public void A_missing_connection_string_says_where_it_was_looked_for()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NewBuilder().AddOrleansDynamoClient("db"));
        Assert.Contains("ConnectionStrings:db", error.Message);

        var builder = NewBuilder();
        builder.Configuration["ConnectionStrings:db"] = "Endpoint=http://localhost:8000";
        var noGateway = Assert.Throws<InvalidOperationException>(() => builder.AddOrleansDynamoOrleansClient("db"));
        Assert.Contains("Gateway=host:port", noGateway.Message);
    }

    [Fact]
    public void AddOrleansDynamoOrleansClient_connects_to_the_gateways_and_proves_itself_with_the_key()
    {
        var builder = NewBuilder();
        builder.Configuration["ConnectionStrings:db"] = "Gateway=127.0.0.1:30000,localhost:30001;AccessKeyId=AKOD;SecretAccessKey=s";
        builder.AddOrleansDynamoOrleansClient("db", configureClient: options => options.ResponseTimeout = TimeSpan.FromSeconds(9));

        // IDynamoDb itself needs the cluster to resolve; the end-to-end tests use it with a key against silos that check.
        Assert.Contains(builder.Services, service => service.ServiceType == typeof(IDynamoDb));
        using var host = builder.Build();
        var gateways = host.Services.GetRequiredService<IOptions<StaticGatewayListProviderOptions>>().Value.Gateways;
        Assert.Equal(["gwy.tcp://127.0.0.1:30000/0", "gwy.tcp://127.0.0.1:30001/0"], gateways.Select(g => g.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(9), host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
        Assert.Equal("orleansdynamo", host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId);
    }

    private static HostApplicationBuilder NewBuilder() => Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
}

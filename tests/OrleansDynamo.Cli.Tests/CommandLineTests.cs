using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OrleansDynamo.ProcessTests;

namespace OrleansDynamo.Cli.Tests;

/// <summary>odyn's conventions that need no real server: usage errors, a server that is not there, Ctrl+C, the admin port's default.</summary>
public sealed class CommandLineTests
{
    private const string BackupArn = "arn:aws:dynamodb:us-east-1:000000000000:table/orders/backup/01700000000000-abcdef01";

    private const string Creating = $$"""{"BackupArn":"{{BackupArn}}","BackupName":"nightly","BackupStatus":"CREATING","BackupCreationDateTime":1700000000}""";

    [Theory]
    [InlineData("tables", "--bogus")]
    [InlineData("backup")]
    [InlineData("backup", "restore", "only-one-argument")]
    [InlineData("import", "--bucket", "b", "--table", "t")]
    [InlineData("import", "--bucket", "b", "--table", "t", "--partition-key", "id:X")]
    [InlineData("import", "--bucket", "b", "--table", "t", "--partition-key", "id:S", "--format", "XML")]
    [InlineData("tables", "--endpoint", "not a url")]
    public async Task A_usage_error_exits_2_with_the_error_on_stderr(params string[] arguments)
    {
        var result = await Odyn.RunAsync(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_commands()
    {
        var result = await Odyn.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var command in (string[])["tables", "backup", "export", "import", "cluster"]) Assert.Contains(command, result.Stdout);
    }

    [Theory]
    [InlineData("tables")]
    [InlineData("backup", "list", "--json")]
    [InlineData("cluster", "status")]
    public async Task A_server_that_is_not_running_exits_3(params string[] arguments)
    {
        var port = ServerProcess.FreePort();

        var result = await Odyn.RunAsync([.. arguments, "--endpoint", $"http://127.0.0.1:{port}"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("error: cannot connect to ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack trace
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Ctrl_C_while_waiting_exits_130_and_says_the_backup_goes_on()
    {
        // A backup that stays CREATING for ever: only Ctrl+C ends the waiting.
        await using var server = new FakeEndpoint(ServerProcess.FreePort(), (target, _) => target switch
        {
            "CreateBackup" => (200, """{"BackupDetails":""" + Creating + "}"),
            "DescribeBackup" => (200, """{"BackupDescription":{"BackupDetails":""" + Creating + "}}"),
            _ => (400, """{"__type":"com.amazon.coral.service#UnknownOperationException"}"""),
        });
        using var odyn = Odyn.Start(["backup", "create", "orders", "--name", "nightly", "--endpoint", $"http://127.0.0.1:{server.Port}"], out var stdout, out var stderr);

        // It is waiting once it has asked for the backup's status twice (polls 500 ms apart).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Requests.Count(r => r == "DescribeBackup") < 2 && DateTime.UtcNow < deadline && !odyn.HasExited) await Task.Delay(50);
        Assert.False(odyn.HasExited, $"{stdout}\n{stderr}");
        Odyn.Interrupt(odyn);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await odyn.WaitForExitAsync(timeout.Token);

        var error = stderr.ToString();
        Assert.True(odyn.ExitCode == 130, $"exit {odyn.ExitCode}\n{stdout}\n{error}");
        Assert.Contains("odyn backup list", error);
        Assert.Contains(BackupArn, error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("DeleteBackup", server.Requests); // stopping the wait does not stop the backup
    }

    [Fact]
    public async Task Cluster_status_asks_the_port_after_the_endpoints_by_default_and_signs_the_request()
    {
        var port = ConsecutiveFreePorts();
        const string map = """
            [{"silo":"127.0.0.1:11111@1","table":"orders","partition":0,"items":3,"bytes":300,"requests":9},
             {"silo":"127.0.0.1:11111@1","table":"orders","partition":1,"items":2,"bytes":200,"requests":4},
             {"silo":"127.0.0.1:11112@2","table":"users","partition":0,"items":7,"bytes":70,"requests":1}]
            """;
        await using var admin = new FakeEndpoint(port + 1, (path, _) => path switch
        {
            "/admin/partitions/map" => (200, map),
            "/admin/partitions" => (200, """{"127.0.0.1:11111@1":2,"127.0.0.1:11112@2":1,"127.0.0.1:11113@3":0}"""),
            _ => (404, ""),
        });

        var result = await Odyn.RunAsync("cluster", "status", "--json", "--endpoint", $"http://127.0.0.1:{port}");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var status = JsonDocument.Parse(result.Stdout);
        var silos = status.RootElement.GetProperty("silos").EnumerateArray().ToDictionary(s => s.GetProperty("silo").GetString()!, s => s.GetProperty("partitions").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["127.0.0.1:11111@1"] = 2, ["127.0.0.1:11112@2"] = 1, ["127.0.0.1:11113@3"] = 0 }, silos);
        var orders = status.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "orders");
        Assert.Equal(2, orders.GetProperty("partitions").GetInt32());
        Assert.Equal(5, orders.GetProperty("items").GetInt64());
        Assert.Equal(500, orders.GetProperty("bytes").GetInt64());
        Assert.All(admin.Authorizations, a => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=", a));
        Assert.NotEmpty(admin.Authorizations);
    }

    [Fact]
    public async Task An_admin_port_that_refuses_exits_1_with_the_error_type_and_what_to_do()
    {
        await using var admin = new FakeEndpoint(ServerProcess.FreePort(), (_, _) =>
            (400, """{"__type":"com.amazonaws.dynamodb.v20120810#AccessDeniedException","message":"User: arn:aws:iam::000000000000:user/reader is not authorized to perform: odyn:Admin"}"""));

        var result = await Odyn.RunAsync("cluster", "status", "--admin-endpoint", $"http://127.0.0.1:{admin.Port}");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: AccessDeniedException: User: arn:aws:iam::000000000000:user/reader is not authorized", result.Stderr);
        Assert.Contains("--access-key", result.Stderr);
    }

    /// <summary>A port whose next port is free as well: odyn's default admin port is the endpoint's + 1.</summary>
    private static int ConsecutiveFreePorts()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            try
            {
                using var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }
}

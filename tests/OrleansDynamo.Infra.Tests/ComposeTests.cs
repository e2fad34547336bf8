using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansDynamo.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OrleansDynamo.Infra.Tests;

/// <summary>infra/docker/compose.yaml and infra/docker/make-secrets.sh, which writes the secrets it reads.</summary>
public sealed class ComposeTests
{
    private const string ComposePath = "infra/docker/compose.yaml";

    private static readonly YamlMappingNode Compose = Yaml.Documents(ComposePath).Single();

    private static IReadOnlyDictionary<string, YamlNode> Services =>
        ((YamlMappingNode)Compose.At("services")).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => p.Value);

    /// <summary>The services built from the server's Dockerfile.</summary>
    private static IReadOnlyDictionary<string, YamlNode> Silos =>
        Services.Where(s => s.Value.TryText("build.dockerfile") == "infra/docker/Dockerfile").ToDictionary();

    [Fact]
    public void Three_silos_and_PostgreSQL_17_with_a_volume_and_a_health_check()
    {
        Assert.Equal(3, Silos.Count);
        var postgres = Services["postgres"];
        Assert.Equal("postgres:17", postgres.Text("image"));
        Assert.Contains(postgres.Strings("volumes"), v => v.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        var volume = postgres.Strings("volumes").Single().Split(':')[0];
        Assert.NotNull(Compose.At("volumes").Get(volume) ?? throw new Xunit.Sdk.XunitException($"volume {volume} is not declared"));
        Assert.Contains("pg_isready", postgres.Strings("healthcheck.test"));
        Assert.Equal(4, Services.Count);
    }

    [Fact]
    public void Silos_build_the_image_from_the_repository_root_and_wait_for_a_healthy_PostgreSQL()
    {
        foreach (var (name, silo) in Silos)
        {
            var context = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Repo.PathOf(ComposePath))!, silo.Text("build.context")));
            Assert.Equal(Repo.Root.TrimEnd(Path.DirectorySeparatorChar), context.TrimEnd(Path.DirectorySeparatorChar));
            Assert.True(File.Exists(Path.Combine(context, silo.Text("build.dockerfile"))), $"{name}: no Dockerfile at the build path");
            Assert.Equal("service_healthy", silo.Text("depends_on.postgres.condition"));
        }
    }

    [Fact]
    public void Silos_store_in_and_cluster_on_PostgreSQL_with_secrets_from_files()
    {
        var secrets = (YamlMappingNode)Compose.At("secrets");
        foreach (var (name, silo) in Silos)
        {
            var command = silo.Strings("command");
            ServerSettings.AssertKnownFlags(command, $"{ComposePath} {name}");
            Assert.Equal("postgres", ServerSettings.ValueOf(command, "--storage"));
            Assert.Equal("postgres", ServerSettings.ValueOf(command, "--cluster"));
            Assert.Null(ServerSettings.ValueOf(command, "--postgres")); // the connection string never on the command line

            var granted = silo.Strings("secrets");
            foreach (var flag in new[] { "--postgres-file", "--credentials-file" })
            {
                var path = ServerSettings.ValueOf(command, flag) ?? throw new Xunit.Sdk.XunitException($"{name}: no {flag}");
                var secret = Regex.Match(path, "^/run/secrets/(.+)$").Groups[1].Value;
                Assert.True(granted.Contains(secret), $"{name}: {flag} {path}, but the service is not given the secret '{secret}'");
                Assert.NotNull(secrets.Get(secret)?.TryText("file"));
            }
            Assert.Contains("/health/ready", string.Join(' ', silo.Strings("healthcheck.test")));
        }

        var postgres = Services["postgres"];
        var passwordFile = postgres.Text("environment.POSTGRES_PASSWORD_FILE");
        Assert.Contains(Path.GetFileName(passwordFile), postgres.Strings("secrets"));
    }

    [Fact]
    public void Each_silo_publishes_its_DynamoDB_port_on_a_host_port_of_its_own()
    {
        var published = Silos.Values.SelectMany(s => s.Strings("ports")).Select(p => p.Split(':')).ToList();
        Assert.Equal(3, published.Count);
        Assert.All(published, p => Assert.Equal("8000", p[^1]));
        Assert.Equal(3, published.Select(p => p[^2]).Distinct().Count());
    }

    [Fact]
    public void Make_secrets_writes_the_files_compose_reads_and_keeps_them()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("odyn-secrets-").FullName, "secrets");
        try
        {
            var first = Tool.Run("bash", [Repo.PathOf("infra/docker/make-secrets.sh"), folder]);
            Assert.True(first.ExitCode == 0, first.ToString());

            // The files compose.yaml names, by the paths it gives relative to itself.
            foreach (var secret in ((YamlMappingNode)Compose.At("secrets")).Children.Values)
            {
                var file = Path.GetFileName(secret.Text("file"));
                Assert.Equal("./secrets/" + file, secret.Text("file"));
                Assert.True(File.Exists(Path.Combine(folder, file)), $"make-secrets.sh writes no {file}");
                // Readable inside the containers, whose users do not own the bind-mounted file.
                Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(Path.Combine(folder, file)));
            }
            Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), File.GetUnixFileMode(folder));

            // The format CredentialStore reads: principals with a name, a key and a secret, and a policy.
            using var credentials = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "credentials.json")));
            var principal = credentials.RootElement.GetProperty("principals").EnumerateArray().Single();
            foreach (var member in new[] { "name", "accessKeyId", "secretAccessKey" })
                Assert.False(string.IsNullOrEmpty(principal.GetProperty(member).GetString()), member);
            Assert.Equal("Allow", principal.GetProperty("policy").GetProperty("Statement")[0].GetProperty("Effect").GetString());

            var password = File.ReadAllText(Path.Combine(folder, "postgres-password"));
            var connection = File.ReadAllText(Path.Combine(folder, "postgres-connection"));
            Assert.True(password.Length >= 20);
            Assert.Contains($"Password={password}", connection);
            Assert.Contains("Host=postgres;", connection); // the compose service's name

            // A second run changes nothing: a running PostgreSQL keeps the password it was created with.
            var again = Tool.Run("bash", [Repo.PathOf("infra/docker/make-secrets.sh"), folder]);
            Assert.Equal(0, again.ExitCode);
            Assert.Equal(password, File.ReadAllText(Path.Combine(folder, "postgres-password")));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}

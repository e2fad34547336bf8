using OrleansDynamo.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OrleansDynamo.Infra.Tests;

/// <summary>The manifests of infra/kubernetes, every document of every YAML file there.</summary>
public sealed class KubernetesTests
{
    private const string Folder = "infra/kubernetes";

    private static readonly IReadOnlyList<(string File, YamlMappingNode Document)> Documents =
        Directory.GetFiles(Repo.PathOf(Folder), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => Yaml.Documents(Path.GetRelativePath(Repo.Root, f)).Select(d => (Path.GetFileName(f), d)))
            .ToList();

    private static YamlMappingNode One(string kind) => Documents.Select(d => d.Document).Single(d => d.Text("kind") == kind);

    private static IEnumerable<YamlMappingNode> All(string kind) => Documents.Select(d => d.Document).Where(d => d.Text("kind") == kind);

    private static YamlMappingNode Deployment => One("Deployment");

    private static YamlNode Silo => Deployment.List("spec.template.spec.containers").Single();

    private static IReadOnlyList<string> Args => Silo.Strings("args");

    private static IReadOnlyDictionary<string, string> PodLabels => Deployment.Dictionary("spec.template.metadata.labels");

    private static YamlNode Env(string name) =>
        Silo.List("env").SingleOrDefault(e => e.Text("name") == name) ?? throw new Xunit.Sdk.XunitException($"no env {name}");

    [Fact]
    public void Every_document_has_an_api_version_a_kind_a_name_and_the_one_namespace()
    {
        Assert.True(Documents.Count >= 9, $"only {Documents.Count} documents");
        var @namespace = One("Namespace").Text("metadata.name");
        foreach (var (file, document) in Documents)
        {
            Assert.False(string.IsNullOrEmpty(document.TryText("apiVersion")), $"{file}: a document without apiVersion");
            var kind = document.TryText("kind");
            Assert.False(string.IsNullOrEmpty(kind), $"{file}: a document without kind");
            Assert.False(string.IsNullOrEmpty(document.TryText("metadata.name")), $"{file}: a {kind} without metadata.name");
            if (kind != "Namespace")
                Assert.True(document.TryText("metadata.namespace") == @namespace, $"{file}: {kind} {document.Text("metadata.name")} is not in {@namespace}");
        }
        // Names are unique per kind: a second document of a name would replace the first.
        Assert.Equal(Documents.Count, Documents.Select(d => (d.Document.Text("kind"), d.Document.Text("metadata.name"))).Distinct().Count());
    }

    [Fact]
    public void Three_silos_on_PostgreSQL_with_the_flags_the_server_knows()
    {
        Assert.Equal("3", Deployment.Text("spec.replicas"));
        ServerSettings.AssertKnownFlags(Args, "the Deployment's args");
        Assert.Equal("postgres", ServerSettings.ValueOf(Args, "--storage"));
        Assert.Equal("postgres", ServerSettings.ValueOf(Args, "--cluster"));
        foreach (var env in Silo.List("env")) ServerSettings.AssertKnownVariable(env.Text("name"), "the Deployment");
        // The selector picks the pod template's own pods.
        Assert.Subset(PodLabels.ToHashSet(), Deployment.Dictionary("spec.selector.matchLabels").ToHashSet());
    }

    [Fact]
    public void Pods_carry_the_Orleans_Kubernetes_hosting_labels_and_environment()
    {
        var serviceId = PodLabels.GetValueOrDefault("orleans/serviceId");
        var clusterId = PodLabels.GetValueOrDefault("orleans/clusterId");
        Assert.False(string.IsNullOrEmpty(serviceId));
        // The server has one id for both (--cluster-id sets ServiceId and ClusterId).
        Assert.Equal(serviceId, clusterId);

        Assert.Equal("metadata.name", Env("POD_NAME").Text("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.namespace", Env("POD_NAMESPACE").Text("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("status.podIP", Env("POD_IP").Text("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.labels['orleans/serviceId']", Env("ORLEANS_SERVICE_ID").Text("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.labels['orleans/clusterId']", Env("ORLEANS_CLUSTER_ID").Text("valueFrom.fieldRef.fieldPath"));

        // And what the server itself reads: the same cluster id, and the pod IP to advertise.
        Assert.Null(ServerSettings.ValueOf(Args, "--cluster-id"));
        Assert.Equal("metadata.labels['orleans/clusterId']", Env("ODYN_CLUSTERID").Text("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("status.podIP", Env("ODYN_ADVERTISEADDRESS").Text("valueFrom.fieldRef.fieldPath"));
    }

    [Fact]
    public void Probes_ask_the_admin_port_the_args_give_for_liveness_and_readiness()
    {
        var adminPort = ServerSettings.ValueOf(Args, "--admin-port") ?? throw new Xunit.Sdk.XunitException("no --admin-port in args");
        var ports = Silo.List("ports").ToDictionary(p => p.Text("name"), p => p.Text("containerPort"));

        string PortOf(string probe)
        {
            var port = Silo.Text($"{probe}.httpGet.port");
            return ports.GetValueOrDefault(port, port); // a name of the container's ports, or a number
        }

        Assert.Equal("/health/live", Silo.Text("livenessProbe.httpGet.path"));
        Assert.Equal("/health/ready", Silo.Text("readinessProbe.httpGet.path"));
        Assert.Equal(adminPort, PortOf("livenessProbe"));
        Assert.Equal(adminPort, PortOf("readinessProbe"));
        if (Silo.TryAt("startupProbe") is not null) Assert.Equal(adminPort, PortOf("startupProbe"));

        // The kubelet probes the pod's address: the admin port must listen beyond loopback, which the server
        // refuses without SigV4 and a credentials file.
        Assert.Equal("0.0.0.0", ServerSettings.ValueOf(Args, "--admin-address"));
        Assert.Equal("sigv4", ServerSettings.ValueOf(Args, "--auth"));
        Assert.NotNull(ServerSettings.ValueOf(Args, "--credentials-file"));
    }

    [Fact]
    public void Connection_string_and_credentials_come_from_the_Secret_the_README_creates()
    {
        var secret = Env("ODYN_POSTGRES").Text("valueFrom.secretKeyRef.name");
        Assert.Equal("postgres-connection", Env("ODYN_POSTGRES").Text("valueFrom.secretKeyRef.key"));
        Assert.Contains($"kubectl create secret generic {secret}", Repo.Read($"{Folder}/README.md"));
        Assert.DoesNotContain(Args, a => a.StartsWith("--postgres=", StringComparison.Ordinal) || a == "--postgres");

        // --credentials-file names the file the Secret's volume puts at the mount path.
        var credentialsFile = ServerSettings.ValueOf(Args, "--credentials-file")!;
        var mount = Silo.List("volumeMounts").Single(m => credentialsFile.StartsWith(m.Text("mountPath") + "/", StringComparison.Ordinal));
        var volume = Deployment.List("spec.template.spec.volumes").Single(v => v.Text("name") == mount.Text("name"));
        Assert.Equal(secret, volume.Text("secret.secretName"));
        var item = volume.List("secret.items").Single();
        Assert.Equal(mount.Text("mountPath") + "/" + item.Text("path"), credentialsFile);
        Assert.Equal("credentials.json", item.Text("key"));

        // The reference PostgreSQL takes its password from the same Secret.
        var postgres = One("StatefulSet").List("spec.template.spec.containers").Single();
        var password = postgres.List("env").Single(e => e.Text("name") == "POSTGRES_PASSWORD");
        Assert.Equal(secret, password.Text("valueFrom.secretKeyRef.name"));
    }

    [Fact]
    public void Service_account_is_bound_to_a_role_on_pods_with_what_Kubernetes_hosting_needs()
    {
        var account = Deployment.Text("spec.template.spec.serviceAccountName");
        Assert.Contains(All("ServiceAccount"), a => a.Text("metadata.name") == account);

        var binding = All("RoleBinding").Single(b => b.List("subjects").Any(s => s.Text("kind") == "ServiceAccount" && s.Text("name") == account));
        Assert.Equal("Role", binding.Text("roleRef.kind"));
        Assert.Equal("rbac.authorization.k8s.io", binding.Text("roleRef.apiGroup"));
        var role = All("Role").Single(r => r.Text("metadata.name") == binding.Text("roleRef.name"));

        var onPods = role.List("rules").Where(r => r.Strings("apiGroups").Contains("") && r.Strings("resources").Contains("pods")).ToList();
        Assert.NotEmpty(onPods);
        var verbs = onPods.SelectMany(r => r.Strings("verbs")).ToHashSet();
        // Read its own pod, label it (patch), list and watch the cluster's pods, delete those of dead silos.
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch", "delete" }, verbs);
    }

    [Fact]
    public void Service_and_disruption_budget_select_the_silo_pods()
    {
        var service = All("Service").Single(s => s.Text("metadata.name") == "orleansdynamo");
        Assert.Subset(PodLabels.ToHashSet(), service.Dictionary("spec.selector").ToHashSet());
        var port = service.List("spec.ports").Single();
        var target = Silo.List("ports").Single(p => p.Text("name") == port.Text("targetPort"));
        Assert.Equal(ServerSettings.ValueOf(Args, "--port"), target.Text("containerPort"));

        var budget = One("PodDisruptionBudget");
        Assert.Equal("policy/v1", budget.Text("apiVersion"));
        Assert.Subset(PodLabels.ToHashSet(), budget.Dictionary("spec.selector.matchLabels").ToHashSet());
        Assert.True(budget.TryText("spec.maxUnavailable") == "1" || budget.TryText("spec.minAvailable") is not null);
    }

    [Fact]
    public void PostgreSQL_runs_as_a_StatefulSet_with_a_volume_claim_behind_its_headless_service()
    {
        var statefulSet = One("StatefulSet");
        var claims = statefulSet.List("spec.volumeClaimTemplates");
        Assert.NotEmpty(claims);
        var container = statefulSet.List("spec.template.spec.containers").Single();
        Assert.StartsWith("postgres:", container.Text("image"));
        foreach (var claim in claims)
        {
            Assert.Contains(container.List("volumeMounts"), m => m.Text("name") == claim.Text("metadata.name"));
            Assert.Contains("ReadWriteOnce", claim.Strings("spec.accessModes"));
            Assert.False(string.IsNullOrEmpty(claim.Text("spec.resources.requests.storage")));
        }

        var service = All("Service").Single(s => s.Text("metadata.name") == statefulSet.Text("spec.serviceName"));
        Assert.Equal("None", service.Text("spec.clusterIP"));
        Assert.Subset(statefulSet.Dictionary("spec.template.metadata.labels").ToHashSet(), service.Dictionary("spec.selector").ToHashSet());
        Assert.Equal("5432", service.List("spec.ports").Single().Text("port"));
    }
}

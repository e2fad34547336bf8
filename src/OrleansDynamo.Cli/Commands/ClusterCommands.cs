using System.CommandLine;
using System.Text.Json;

namespace OrleansDynamo.Cli.Commands;

/// <summary><c>odyn cluster status</c>: the silos and where the tables' partitions live, from the admin port.</summary>
internal static class ClusterCommands
{
    /// <summary>One row of <c>GET /admin/partitions/map</c>.</summary>
    private sealed record PartitionEntry(string Silo, string Table, int Partition, long Items, long Bytes, long Requests);

    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    public static Command Create()
    {
        var cluster = new Command("cluster", "the cluster behind the endpoint");
        var status = new Command("status", "silos with their partitions, and each table's partitions, items and bytes");
        status.SetRun(async (_, connection, output, cancellation) =>
        {
            using var map = await connection.GetAdminAsync("/admin/partitions/map", cancellation);
            var partitions = map.Deserialize<List<PartitionEntry>>(ReadOptions) ?? [];
            // The census names every active silo, those without a partition too; the map only those with one.
            using var census = await connection.GetAdminAsync("/admin/partitions", cancellation);
            var siloNames = census.RootElement.EnumerateObject().Select(p => p.Name).Union(partitions.Select(p => p.Silo)).Order(StringComparer.Ordinal);

            var silos = siloNames.Select(silo => new
            {
                Silo = silo,
                Partitions = partitions.Count(p => p.Silo == silo),
                Items = partitions.Where(p => p.Silo == silo).Sum(p => p.Items),
                Bytes = partitions.Where(p => p.Silo == silo).Sum(p => p.Bytes),
            }).ToList();
            var tables = partitions.GroupBy(p => p.Table).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new
            {
                Table = g.Key,
                Partitions = g.Count(),
                Items = g.Sum(p => p.Items),
                Bytes = g.Sum(p => p.Bytes),
                Silos = g.Select(p => p.Silo).Distinct().Order(StringComparer.Ordinal).ToList(),
            }).ToList();

            output.Write(new { Silos = silos, Tables = tables, Partitions = partitions }, () =>
            {
                var siloTable = Output.Table("Silos", "Silo", "Partitions", "Items", "Bytes");
                foreach (var s in silos) Output.AddRow(siloTable, s.Silo, s.Partitions, s.Items, s.Bytes);
                var tableTable = Output.Table("Tables", "Table", "Partitions", "Items", "Bytes", "Silos");
                foreach (var t in tables) Output.AddRow(tableTable, t.Table, t.Partitions, t.Items, t.Bytes, string.Join(", ", t.Silos));
                return [siloTable, tableTable];
            });
            return ExitCodes.Success;
        });
        cluster.Subcommands.Add(status);
        return cluster;
    }
}

using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.Backups.BackupTestSupport;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests.Backups;

/// <summary>UpdateContinuousBackups, DescribeContinuousBackups and RestoreTableToPointInTime through the AWS SDK.</summary>
[Collection(ServerCollection.Name)]
public sealed class PointInTimeRecoveryTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    /// <summary>The server's clock: tests of this collection move it forward, so instants are taken from it.</summary>
    private DateTime Now => server.Clock.GetUtcNow().UtcDateTime;

    private async Task<PointInTimeRecoveryDescription> EnableAsync(string table, int? days = null) =>
        (await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table, PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = days },
        })).ContinuousBackupsDescription.PointInTimeRecoveryDescription;

    private async Task<string> RestoreAsync(string source, DateTime at)
    {
        var target = NewName("pitr");
        var restore = (await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = source, TargetTableName = target, RestoreDateTime = at,
        })).TableDescription;
        Assert.True(restore.RestoreSummary.RestoreInProgress);
        await ActiveAsync(Client, target);
        return target;
    }

    [Fact]
    public async Task Recovery_is_off_until_enabled_and_then_describes_its_window()
    {
        var table = await CreateAsync(Client);
        var off = (await Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table })).ContinuousBackupsDescription;
        Assert.Equal(ContinuousBackupsStatus.ENABLED, off.ContinuousBackupsStatus);
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, off.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
        await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() => Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table, TargetTableName = NewName(), UseLatestRestorableTime = true,
        }));

        var before = Now.AddSeconds(-1);
        var on = await EnableAsync(table);
        Assert.Equal(PointInTimeRecoveryStatus.ENABLED, on.PointInTimeRecoveryStatus);
        Assert.Equal(35, on.RecoveryPeriodInDays);
        Assert.InRange(on.EarliestRestorableDateTime!.Value.ToUniversalTime(), before, Now.AddSeconds(1));
        Assert.True(on.LatestRestorableDateTime >= on.EarliestRestorableDateTime);
        Assert.Equal(7, (await EnableAsync(table, 7)).RecoveryPeriodInDays);

        var tooLong = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => EnableAsync(table, 36));
        Assert.Contains("at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35", tooLong.Message);
        var missing = await Assert.ThrowsAsync<TableNotFoundException>(() => EnableAsync("no-such-table"));
        Assert.Equal("Table not found: no-such-table", missing.Message);
        var notNull = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest { TableName = table }));
        Assert.Contains("at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null", notNull.Message);

        // Outside the window: before recovery was on, and in the future.
        foreach (var at in new[] { before.AddMinutes(-1), Now.AddMinutes(5) })
            await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
            {
                SourceTableName = table, TargetTableName = NewName(), RestoreDateTime = at,
            }));

        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table, PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = false },
        });
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED,
            (await Client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table })).ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus);
    }

    [Fact]
    public async Task A_restore_to_an_instant_between_two_quiet_periods_holds_exactly_the_items_written_before_it()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        await Client.PutItemAsync(table, new() { ["pk"] = S("old"), ["sk"] = N("0"), ["v"] = S("before recovery") });
        await EnableAsync(table);
        var first = Enumerable.Range(0, 200).Select(i => new Dictionary<string, AttributeValue> { ["pk"] = S($"p{i % 20}"), ["sk"] = N(i.ToString()), ["v"] = S("first") }).ToList();
        await PutAllAsync(Client, table, first);
        var atFirst = await ItemsAsync(Client, table);
        await Task.Delay(50);
        var instant = Now;
        await Task.Delay(50);
        // After the instant: changes, deletions and new items, of items the restore must show as they were.
        for (var i = 0; i < 200; i += 3) await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = new() { ["pk"] = S($"p{i % 20}"), ["sk"] = N(i.ToString()) },
            UpdateExpression = "SET v = :v", ExpressionAttributeValues = new() { [":v"] = S("second") },
        });
        for (var i = 1; i < 200; i += 7) await Client.DeleteItemAsync(table, new() { ["pk"] = S($"p{i % 20}"), ["sk"] = N(i.ToString()) });
        await Client.DeleteItemAsync(table, new() { ["pk"] = S("old"), ["sk"] = N("0") });
        await PutAllAsync(Client, table, Enumerable.Range(500, 50).Select(i => new Dictionary<string, AttributeValue> { ["pk"] = S($"new{i}"), ["sk"] = N(i.ToString()) }));

        var restored = await RestoreAsync(table, instant);
        Assert.Equal(atFirst, await ItemsAsync(Client, restored));
        Assert.Equal(201, (await Client.DescribeTableAsync(restored)).Table.ItemCount);

        // The latest restorable time holds everything.
        var latest = NewName("latest");
        await Client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = latest, UseLatestRestorableTime = true });
        await ActiveAsync(Client, latest);
        Assert.Equal(await ItemsAsync(Client, table), await ItemsAsync(Client, latest));
    }

    [Fact]
    public async Task Under_concurrent_writes_a_restore_agrees_with_the_record_of_acknowledged_writes()
    {
        var table = await CreateAsync(Client);
        await EnableAsync(table);
        var acknowledged = new ConcurrentBag<(string Id, DateTime Started, DateTime Acknowledged)>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"w{w}-{i}";
                var started = Now;
                await Client.PutItemAsync(table, new() { ["pk"] = S(id) });
                acknowledged.Add((id, started, Now));
            }
        })).ToList();
        await Task.Delay(400);
        var instant = Now;
        await Task.Delay(400);
        stop.Cancel();
        await Task.WhenAll(writers);

        var restored = (await ItemsAsync(Client, await RestoreAsync(table, instant))).Keys.ToHashSet();
        // δ: RestoreDateTime has millisecond precision, so writes within a millisecond of the instant may go either way.
        var delta = TimeSpan.FromMilliseconds(1);
        var before = acknowledged.Where(w => w.Acknowledged < instant - delta).ToList();
        var after = acknowledged.Where(w => w.Started > instant + delta).ToList();
        Assert.NotEmpty(before);
        Assert.NotEmpty(after);
        Assert.All(before, w => Assert.Contains($"S:{w.Id}", restored));
        Assert.All(after, w => Assert.DoesNotContain($"S:{w.Id}", restored));
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace OrleansDynamo.Tests;

/// <summary>One change to a request: what kind, where (a node picked by <see cref="Target"/>), and how big.</summary>
public readonly record struct Mutation(MutationKind Kind, int Target, int Size)
{
    public override string ToString() => $"{Kind}@{Target}/{Size}";
}

public enum MutationKind
{
    Null, WrongString, WrongNumber, WrongBoolean, WrongList, WrongMap, RemoveMember, UnknownMember, NullInside,
    DeepNesting, HugeString, HugeNumber, Truncate, NotAnObject,
}

/// <summary>
/// Mutates valid DynamoDB requests and sends them over HTTP, to find requests the server answers with 5xx (or
/// does not answer). Each operation starts from a valid request (<see cref="Seeds"/>); CsCheck picks one to
/// three mutations: wrong types, nulls inside lists and maps, missing and unknown members, deep nesting, huge
/// values, truncated and non-object JSON. The API tests run a short seeded round; <c>LoadGenerator fuzz</c> a long one.
/// </summary>
public sealed class RequestFuzzer(HttpClient http, Uri endpoint)
{
    public static readonly Gen<Mutation[]> Mutations =
        Gen.Select(Gen.Int[0, Enum.GetValues<MutationKind>().Length - 1], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16],
            (kind, target, size) => new Mutation((MutationKind)kind, target, size)).Array[1, 3];

    /// <summary>A valid request of every operation, on <paramref name="table"/> (hash key pk S, range key sk N, index "byV" on v S).</summary>
    public static IReadOnlyDictionary<string, string> Seeds(string table, string streamArn)
    {
        var key = """{"pk":{"S":"a"},"sk":{"N":"1"}}""";
        var item = """{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"x"},"l":{"L":[{"N":"1"},{"M":{"m":{"SS":["p","q"]}}}]},"b":{"B":"AQI="}}""";
        var values = """{":v":{"S":"x"},":n":{"N":"2"},":l":{"L":[{"S":"y"}]}}""";
        return new Dictionary<string, string>
        {
            ["CreateTable"] = $$$$$"""{"TableName":"{{{{{table}}}}}-new","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"v","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"g","KeySchema":[{"AttributeName":"v","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["w"]}}],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},"Tags":[{"Key":"k","Value":"v"}],"TableClass":"STANDARD","SSESpecification":{"Enabled":true,"SSEType":"KMS"},"OnDemandThroughput":{"MaxReadRequestUnits":100},"WarmThroughput":{"ReadUnitsPerSecond":13000}}""",
            ["DescribeTable"] = $$$$$"""{"TableName":"{{{{{table}}}}}"}""",
            ["ListTables"] = $$$$$"""{"ExclusiveStartTableName":"a","Limit":5}""",
            ["DeleteTable"] = $$$$$"""{"TableName":"{{{{{table}}}}}-none"}""",
            ["UpdateTable"] = $$$$$"""{"TableName":"{{{{{table}}}}}","DeletionProtectionEnabled":false,"GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"byV","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}}]}""",
            ["PutItem"] = $$$$$"""{"TableName":"{{{{{table}}}}}","Item":{{{{{item}}}}},"ConditionExpression":"attribute_not_exists(#p) OR v = :v","ExpressionAttributeNames":{"#p":"pk"},"ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"ALL_OLD","ReturnConsumedCapacity":"TOTAL"}""",
            ["GetItem"] = $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}},"ProjectionExpression":"#p, l[1].m, v","ExpressionAttributeNames":{"#p":"pk"},"ConsistentRead":true}""",
            ["DeleteItem"] = $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{"pk":{"S":"gone"},"sk":{"N":"1"}},"ConditionExpression":"attribute_not_exists(v) OR size(l) > :n","ExpressionAttributeValues":{":n":{"N":"1"}},"ReturnValues":"ALL_OLD"}""",
            ["UpdateItem"] = $$$$$"""{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}},"UpdateExpression":"SET v = :v, c = if_not_exists(c, :n) + :n, l = list_append(l, :l) REMOVE z","ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{{{{{values}}}}},"ReturnValues":"UPDATED_NEW"}""",
            ["Query"] = $$$$$"""{"TableName":"{{{{{table}}}}}","KeyConditionExpression":"pk = :v AND sk BETWEEN :n AND :m","FilterExpression":"contains(l, :n) OR attribute_not_exists(l)","ExpressionAttributeValues":{":v":{"S":"a"},":n":{"N":"1"},":m":{"N":"3"}},"Limit":10,"ScanIndexForward":false,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"2"}}}""",
            ["Scan"] = $$$$$"""{"TableName":"{{{{{table}}}}}","IndexName":"byV","FilterExpression":"v IN (:v, :w)","ExpressionAttributeValues":{":v":{"S":"x"},":w":{"S":"y"}},"Segment":0,"TotalSegments":2,"Select":"ALL_PROJECTED_ATTRIBUTES"}""",
            ["BatchGetItem"] = $$$$$"""{"RequestItems":{"{{{{{table}}}}}":{"Keys":[{{{{{key}}}}},{"pk":{"S":"b"},"sk":{"N":"2"}}],"ProjectionExpression":"v","ConsistentRead":false}}}""",
            ["BatchWriteItem"] = $$$$$"""{"RequestItems":{"{{{{{table}}}}}":[{"PutRequest":{"Item":{{{{{item}}}}}}},{"DeleteRequest":{"Key":{"pk":{"S":"b"},"sk":{"N":"2"}}}}]},"ReturnItemCollectionMetrics":"SIZE"}""",
            ["TransactWriteItems"] = $$$$$"""{"TransactItems":[{"Put":{"TableName":"{{{{{table}}}}}","Item":{{{{{item}}}}}}},{"Update":{"TableName":"{{{{{table}}}}}","Key":{"pk":{"S":"c"},"sk":{"N":"3"}},"UpdateExpression":"ADD n :n","ExpressionAttributeValues":{":n":{"N":"1"}}}},{"ConditionCheck":{"TableName":"{{{{{table}}}}}","Key":{"pk":{"S":"d"},"sk":{"N":"4"}},"ConditionExpression":"attribute_not_exists(pk)"}}],"ClientRequestToken":"token-1"}""",
            ["TransactGetItems"] = $$$$$"""{"TransactItems":[{"Get":{"TableName":"{{{{{table}}}}}","Key":{{{{{key}}}}},"ProjectionExpression":"v"}}]}""",
            ["UpdateTimeToLive"] = $$$$$"""{"TableName":"{{{{{table}}}}}","TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}}""",
            ["DescribeTimeToLive"] = $$$$$"""{"TableName":"{{{{{table}}}}}"}""",
            ["ExecuteStatement"] = $$$$$"""{"Statement":"SELECT v FROM \"{{{{{table}}}}}\" WHERE pk = ? AND sk IN [1, 2]","Parameters":[{"S":"a"}],"Limit":5,"ConsistentRead":true}""",
            ["BatchExecuteStatement"] = $$$$$"""{"Statements":[{"Statement":"UPDATE \"{{{{{table}}}}}\" SET v = ? WHERE pk = 'a' AND sk = 1","Parameters":[{"S":"z"}]}]}""",
            ["ExecuteTransaction"] = $$$$$"""{"TransactStatements":[{"Statement":"INSERT INTO \"{{{{{table}}}}}\" VALUE {'pk': ?, 'sk': 9}","Parameters":[{"S":"t"}]}],"ClientRequestToken":"t-1"}""",
            ["ListStreams"] = $$$$$"""{"TableName":"{{{{{table}}}}}","Limit":2}""",
            ["DescribeStream"] = $$$$$"""{"StreamArn":"{{{{{streamArn}}}}}","Limit":10}""",
            ["GetShardIterator"] = $$$$$"""{"StreamArn":"{{{{{streamArn}}}}}","ShardId":"shardId-00000000000000000000-00000000","ShardIteratorType":"TRIM_HORIZON"}""",
            ["GetRecords"] = """{"ShardIterator":"AAAA","Limit":10}""",
            ["TagResource"] = $$$$$"""{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}","Tags":[{"Key":"k","Value":"v"},{"Key":"team","Value":""}]}""",
            ["UntagResource"] = $$$$$"""{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}","TagKeys":["k","other"]}""",
            ["ListTagsOfResource"] = $$$$$"""{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}"}""",
            ["DescribeLimits"] = "{}",
            ["DescribeEndpoints"] = "{}",
            ["DescribeContinuousBackups"] = $$$$$"""{"TableName":"{{{{{table}}}}}"}""",
            // Recovery stays off, so the point-in-time operations stop at PointInTimeRecoveryUnavailableException.
            ["UpdateContinuousBackups"] = $$$$$"""{"TableName":"{{{{{table}}}}}","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":false}}""",
            ["CreateBackup"] = $$$$$"""{"TableName":"{{{{{table}}}}}","BackupName":"fuzz-backup"}""",
            ["DescribeBackup"] = $$$$$"""{"BackupArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}/backup/01700000000000-deadbeef"}""",
            ["DeleteBackup"] = $$$$$"""{"BackupArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}/backup/01700000000000-deadbeef"}""",
            ["ListBackups"] = $$$$$"""{"TableName":"{{{{{table}}}}}","Limit":5,"BackupType":"ALL","TimeRangeLowerBound":1700000000,"TimeRangeUpperBound":1900000000}""",
            ["RestoreTableFromBackup"] = $$$$$"""{"TargetTableName":"{{{{{table}}}}}-restored","BackupArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}/backup/01700000000000-deadbeef","BillingModeOverride":"PROVISIONED","ProvisionedThroughputOverride":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}""",
            ["RestoreTableToPointInTime"] = $$$$$"""{"SourceTableName":"{{{{{table}}}}}","TargetTableName":"{{{{{table}}}}}-pitr","RestoreDateTime":1800000000.5,"GlobalSecondaryIndexOverride":[]}""",
            ["ExportTableToPointInTime"] = $$$$$"""{"TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}","S3Bucket":"fuzz-bucket","S3Prefix":"p","ExportFormat":"DYNAMODB_JSON","ExportTime":1700000000}""",
            ["DescribeExport"] = $$$$$"""{"ExportArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}/export/01700000000000-deadbeef"}""",
            ["ListExports"] = $$$$$"""{"TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}","MaxResults":5}""",
            ["ImportTable"] = $$$$$"""{"S3BucketSource":{"S3Bucket":"fuzz-bucket","S3KeyPrefix":"none"},"InputFormat":"CSV","InputFormatOptions":{"Csv":{"Delimiter":";","HeaderList":["pk","v"]}},"InputCompressionType":"NONE","TableCreationParameters":{"TableName":"{{{{{table}}}}}-import","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}}""",
            ["DescribeImport"] = $$$$$"""{"ImportArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}/import/01700000000000-deadbeef"}""",
            ["ListImports"] = $$$$$"""{"TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{{{{table}}}}}","PageSize":5}""",
        };
    }

    /// <summary>
    /// Creates the table the seeds use (hash key pk S, range key sk N, index "byV" on v S, a stream) with one item,
    /// and returns its name and stream ARN.
    /// </summary>
    public static async Task<(string Table, string StreamArn)> CreateTableAsync(Amazon.DynamoDBv2.IAmazonDynamoDB client)
    {
        var name = "fuzz-" + Guid.NewGuid().ToString("N")[..12];
        var created = await client.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = [new("pk", "S"), new("sk", "N"), new("v", "S")],
            KeySchema = [new("pk", "HASH"), new("sk", "RANGE")],
            ProvisionedThroughput = new(5, 5),
            GlobalSecondaryIndexes =
            [
                new()
                {
                    IndexName = "byV", KeySchema = [new("v", "HASH")], Projection = new() { ProjectionType = "ALL" }, ProvisionedThroughput = new(5, 5),
                },
            ],
            StreamSpecification = new() { StreamEnabled = true, StreamViewType = "NEW_AND_OLD_IMAGES" },
        });
        await client.PutItemAsync(name, new() { ["pk"] = new("a"), ["sk"] = new() { N = "1" }, ["v"] = new("x") });
        return (name, created.TableDescription.LatestStreamArn);
    }

    /// <summary>A fixed CsCheck seed per operation, so that a round repeats exactly.</summary>
    public static string SeedOf(string operation) => new PCG(1, (ulong)operation.Sum(c => c * 31)).ToString();

    /// <summary>The operation's target header value.</summary>
    public static string TargetOf(string operation) =>
        operation is "ListStreams" or "DescribeStream" or "GetShardIterator" or "GetRecords"
            ? "DynamoDBStreams_20120810." + operation
            : "DynamoDB_20120810." + operation;

    /// <summary>The seed with the mutations applied, as the text sent.</summary>
    public static string Apply(string seed, Mutation[] mutations)
    {
        JsonNode? root = JsonNode.Parse(seed);
        string? text = null;
        foreach (var mutation in mutations)
        {
            switch (mutation.Kind)
            {
                case MutationKind.Truncate:
                    var whole = text ?? root?.ToJsonString(Deep) ?? "null";
                    text = whole[..(mutation.Size % Math.Max(1, whole.Length))];
                    break;
                case MutationKind.NotAnObject:
                    text = (mutation.Size % 5) switch { 0 => "null", 1 => "[]", 2 => "1", 3 => "\"text\"", _ => "[{}]" };
                    break;
                default:
                    if (text is null) root = Mutate(root, mutation);
                    break;
            }
        }
        return text ?? root?.ToJsonString(Deep) ?? "null";
    }

    // Deep nesting goes past System.Text.Json's default depth of 64; the server must refuse it, not the fuzzer.
    private static readonly System.Text.Json.JsonSerializerOptions Deep = new() { MaxDepth = 100_000 };

    private static JsonNode? Mutate(JsonNode? root, Mutation mutation)
    {
        var nodes = new List<JsonNode?>();
        Collect(root, nodes);
        var target = nodes[mutation.Target % nodes.Count];
        var replacement = Replacement(target, mutation);
        if (mutation.Kind is MutationKind.RemoveMember or MutationKind.UnknownMember or MutationKind.NullInside)
        {
            var container = mutation.Kind == MutationKind.RemoveMember ? target?.Parent : target as JsonNode;
            switch (container, mutation.Kind)
            {
                case (JsonObject map, MutationKind.RemoveMember) when target is not null: map.Remove(target.GetPropertyName()); break;
                case (JsonArray list, MutationKind.RemoveMember) when target is not null: list.Remove(target); break;
                case (JsonObject map, MutationKind.UnknownMember): map["Unknown" + mutation.Size % 7] = mutation.Size % 2 == 0 ? "x" : new JsonArray(); break;
                case (JsonObject map, MutationKind.NullInside): map[map.Count > 0 && mutation.Size % 2 == 0 ? map.First().Key : "n" + mutation.Size % 3] = null; break;
                case (JsonArray list, _): list.Insert(mutation.Size % (list.Count + 1), null); break;
            }
            return root;
        }
        if (target is null || target.Parent is null) return replacement;
        switch (target.Parent)
        {
            case JsonObject map: map[target.GetPropertyName()] = replacement; break;
            case JsonArray list: list[target.GetElementIndex()] = replacement; break;
        }
        return root;
    }

    private static JsonNode? Replacement(JsonNode? target, Mutation mutation) => mutation.Kind switch
    {
        MutationKind.Null => null,
        MutationKind.WrongString => (mutation.Size % 4) switch { 0 => "", 1 => "x", 2 => "NaN", _ => "{\"S\":\"a\"}" },
        MutationKind.WrongNumber => (mutation.Size % 5) switch { 0 => 0, 1 => -1, 2 => 1.5, 3 => long.MaxValue, _ => JsonNode.Parse("1e400") },
        MutationKind.WrongBoolean => mutation.Size % 2 == 0,
        MutationKind.WrongList => mutation.Size % 2 == 0 ? new JsonArray() : new JsonArray(null, 1, "s"),
        MutationKind.WrongMap => mutation.Size % 2 == 0 ? new JsonObject() : new JsonObject { ["S"] = null, ["N"] = "1" },
        MutationKind.DeepNesting => Nested(target?.DeepClone(), 10 + mutation.Size % 300, mutation.Size % 2 == 0),
        MutationKind.HugeString => new string('a', 1 + mutation.Size * 8 % 500_000),
        MutationKind.HugeNumber => (mutation.Size % 4) switch
        {
            0 => new string('9', 40 + mutation.Size % 200),
            1 => "1e" + mutation.Size % 1000,
            2 => "-0.000" + new string('1', 50),
            _ => ".",
        },
        _ => target?.DeepClone(),
    };

    private static JsonNode Nested(JsonNode? inner, int depth, bool asMaps)
    {
        var node = inner;
        for (var i = 0; i < depth; i++) node = asMaps ? new JsonObject { ["M"] = new JsonObject { ["a"] = node } } : new JsonArray(node);
        return node!;
    }

    private static void Collect(JsonNode? node, List<JsonNode?> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject map:
                foreach (var (_, child) in map.ToList()) Collect(child, nodes);
                break;
            case JsonArray list:
                foreach (var child in list.ToList()) Collect(child, nodes);
                break;
        }
    }

    /// <summary>Sends one request; returns its HTTP status (0 when the server did not answer).</summary>
    public async Task<int> SendAsync(string operation, string body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", TargetOf(operation));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>Whether the server still answers a health check.</summary>
    public async Task<bool> IsUpAsync()
    {
        try
        {
            return (await http.GetAsync(endpoint)).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

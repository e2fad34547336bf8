using OrleansDynamo.Errors;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>
/// Secondary indexes: CreateTable's and UpdateTable's index checks (in DynamoDB's order and words), the
/// index key check of written items, and what an index holds of an item (its projection).
/// </summary>
public static class IndexRules
{
    public const int MaxLocalIndexes = 5;
    public const int MaxGlobalIndexes = 20;
    public const int MaxProjectedAttributes = 100;

    /// <summary>Constraint violations of the index members of CreateTable (names, key schema lengths, projection).</summary>
    public static void CheckShapes(Violations violations, IReadOnlyList<LocalSecondaryIndex>? locals, IReadOnlyList<GlobalSecondaryIndex>? globals)
    {
        for (var i = 0; i < (locals?.Count ?? 0); i++)
            CheckShape(violations, $"localSecondaryIndexes.{i + 1}.member", locals![i].IndexName, locals[i].KeySchema, locals[i].Projection, null, 2);
        for (var i = 0; i < (globals?.Count ?? 0); i++)
            CheckShape(violations, $"globalSecondaryIndexes.{i + 1}.member", globals![i].IndexName, globals[i].KeySchema, globals[i].Projection, globals[i].ProvisionedThroughput,
                MaxGlobalKeyElements);
    }

    /// <param name="maxKeyElements">2 for a local index; a global index's key may span up to four partition and four sort key attributes.</param>
    internal static void CheckShape(Violations violations, string member, string? name, IReadOnlyList<KeySchemaElement>? keySchema,
        Projection? projection, ProvisionedThroughput? throughput, int maxKeyElements)
    {
        violations.NotNull(keySchema, member + ".keySchema");
        if (keySchema is not null && (keySchema.Count < 1 || keySchema.Count > maxKeyElements))
            violations.Add("[" + string.Join(", ", keySchema) + "]", member + ".keySchema",
                keySchema.Count < 1 ? "Member must have length greater than or equal to 1" : $"Member must have length less than or equal to {maxKeyElements}");
        for (var k = 0; k < (keySchema?.Count ?? 0); k++)
        {
            violations.NotNull(keySchema![k].AttributeName, $"{member}.keySchema.{k + 1}.member.attributeName");
            violations.Length(keySchema[k].AttributeName, $"{member}.keySchema.{k + 1}.member.attributeName", 1, CreateTableValidator.MaxKeyAttributeNameLength);
            violations.NotNull(keySchema[k].KeyType, $"{member}.keySchema.{k + 1}.member.keyType");
            violations.Enum(keySchema[k].KeyType, $"{member}.keySchema.{k + 1}.member.keyType", "HASH", "RANGE");
        }
        violations.NotNull(projection, member + ".projection");
        violations.Enum(projection?.ProjectionType, member + ".projection.projectionType", IndexInfo.All, IndexInfo.Include, IndexInfo.KeysOnly);
        if (projection?.NonKeyAttributes is { Count: 0 or > MaxNonKeyAttributesPerIndex } nonKey)
            violations.Add("[" + string.Join(", ", nonKey) + "]", member + ".projection.nonKeyAttributes", nonKey.Count == 0
                ? "Member must have length greater than or equal to 1"
                : $"Member must have length less than or equal to {MaxNonKeyAttributesPerIndex}");
        violations.IndexName(name, member + ".indexName");
        violations.Throughput(throughput, member + ".provisionedThroughput");
    }

    /// <summary>CreateTable's index checks, after the table's own key schema checks.</summary>
    public static void CheckCreate(CreateTableRequest request)
    {
        var definitions = request.AttributeDefinitions!.Select(d => d.AttributeName!).ToList();
        var tableKeys = request.KeySchema!;
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (request.LocalSecondaryIndexes is { } locals)
        {
            if (locals.Count == 0) throw DynamoErrors.EmptyLocalIndexList();
            if (tableKeys.Count != 2)
                throw DynamoErrors.LocalIndexNeedsTableRangeKey();
            foreach (var index in locals)
            {
                CheckIndexKeys(index.KeySchema!, definitions);
                if (index.KeySchema!.Count != 2)
                    throw DynamoErrors.LocalIndexNeedsRangeKey(index.IndexName);
                var indexHash = index.KeySchema[0].AttributeName;
                if (indexHash != tableKeys[0].AttributeName)
                    throw DynamoErrors.LocalIndexHashKeyDiffers(index.IndexName, indexHash, tableKeys[0].AttributeName);
                CheckProjection(index.Projection!);
                if (!names.Add(index.IndexName!)) throw DynamoErrors.DuplicateIndexName(index.IndexName);
            }
            if (locals.Count > MaxLocalIndexes)
                throw DynamoErrors.TooManyLocalIndexes();
        }
        if (request.GlobalSecondaryIndexes is { } globals)
        {
            if (globals.Count == 0) throw DynamoErrors.EmptyGlobalIndexList();
            foreach (var index in globals)
            {
                CheckIndexKeys(index.KeySchema!, definitions);
                CheckProjection(index.Projection!);
                if (!names.Add(index.IndexName!)) throw DynamoErrors.DuplicateIndexName(index.IndexName);
                CheckGlobalThroughput(request.BillingMode, index);
            }
            if (globals.Count > MaxGlobalIndexes)
                throw DynamoErrors.TooManyGlobalIndexes();
        }
        CheckProjectedTotal((request.LocalSecondaryIndexes?.Select(i => i.Projection!) ?? []).Concat(request.GlobalSecondaryIndexes?.Select(i => i.Projection!) ?? []));

        var used = tableKeys.Select(k => k.AttributeName!)
            .Concat(request.LocalSecondaryIndexes?.SelectMany(i => i.KeySchema!.Select(k => k.AttributeName!)) ?? [])
            .Concat(request.GlobalSecondaryIndexes?.SelectMany(i => i.KeySchema!.Select(k => k.AttributeName!)) ?? [])
            .Distinct(StringComparer.Ordinal).ToList();
        if (used.Count != definitions.Count)
            throw DynamoErrors.UnusedAttributeDefinitions(definitions, used);
    }

    /// <summary>UpdateTable's Create action, against the table: key attributes defined, key schema, projection, throughput.</summary>
    public static void CheckCreateGlobal(GlobalSecondaryIndex index, TableDescription table, IReadOnlyList<AttributeDefinition>? definitions)
    {
        if (definitions is null)
            throw DynamoErrors.NewIndexNeedsDefinitions();
        // Key attributes the table already defines need not be defined again.
        CheckIndexKeys(index.KeySchema!, definitions.Select(d => d.AttributeName!)
            .Concat(table.AttributeDefinitions!.Select(d => d.AttributeName!)).Distinct(StringComparer.Ordinal).ToList());
        foreach (var definition in definitions)
        {
            var existing = table.AttributeDefinitions!.FirstOrDefault(d => d.AttributeName == definition.AttributeName);
            if (existing is not null && existing.AttributeType != definition.AttributeType)
                throw DynamoErrors.AttributeTypeChange(definition.AttributeName);
        }
        CheckProjection(index.Projection!);
        if (table.LocalSecondaryIndexes?.Any(i => i.IndexName == index.IndexName) == true || table.GlobalSecondaryIndexes?.Any(i => i.IndexName == index.IndexName) == true)
            throw DynamoErrors.IndexAlreadyExists();
        if ((table.GlobalSecondaryIndexes?.Count ?? 0) >= MaxGlobalIndexes)
            throw DynamoErrors.TooManyGlobalIndexes();
        CheckProjectedTotal((table.LocalSecondaryIndexes?.Select(i => i.Projection) ?? [])
            .Concat(table.GlobalSecondaryIndexes?.Select(i => i.Projection) ?? []).Append(index.Projection!));
        CheckGlobalThroughput(table.BillingModeSummary?.BillingMode ?? "PROVISIONED", index);
    }

    /// <summary>The routing info of an index from its request: its key schema with the defined types.</summary>
    public static IndexInfo InfoFor(string name, bool isGlobal, IReadOnlyList<KeySchemaElement> keySchema, Projection projection,
        IReadOnlyList<AttributeDefinition> definitions, string indexId, PartitionMap? map)
    {
        KeyAttribute Attribute(KeySchemaElement element) => new(element.AttributeName!,
            Enum.Parse<AttributeType>(definitions.First(d => d.AttributeName == element.AttributeName).AttributeType!));
        var hashes = keySchema.Where(k => k.KeyType == "HASH").Select(Attribute).ToList();
        var ranges = keySchema.Where(k => k.KeyType == "RANGE").Select(Attribute).ToList();
        return new IndexInfo(name, isGlobal, indexId, new TableSchema(hashes[0], ranges.FirstOrDefault()),
            projection.ProjectionType!, projection.NonKeyAttributes ?? [], map, hashes, ranges);
    }

    private static void CheckIndexKeys(IReadOnlyList<KeySchemaElement> keySchema, IReadOnlyList<string> definitions)
    {
        var keys = keySchema.Select(k => k.AttributeName!).ToList();
        if (keys.Any(k => !definitions.Contains(k)))
            throw DynamoErrors.IndexKeysNotDefined(keys, definitions);
        if (keys.Count == 2 && keys[0] == keys[1])
            throw DynamoErrors.HashAndRangeKeySameName();
        if (keySchema[0].KeyType != "HASH")
            throw DynamoErrors.FirstKeyNotHash();
        if (keySchema.Count <= 2)
        {
            if (keySchema.Count == 2 && keySchema[1].KeyType != "RANGE") throw DynamoErrors.SecondKeyNotRange();
            return;
        }
        CheckMultiAttributeKeys(keySchema);
    }

    /// <summary>
    /// A multi-attribute key (global indexes only): up to four HASH elements, then up to four RANGE elements,
    /// each attribute once.
    /// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.MultiAttributeKeys
    /// </summary>
    private static void CheckMultiAttributeKeys(IReadOnlyList<KeySchemaElement> keySchema)
    {
        var hashes = keySchema.TakeWhile(k => k.KeyType == "HASH").Count();
        if (keySchema.Skip(hashes).Any(k => k.KeyType != "RANGE")) throw DynamoErrors.MultiAttributeKeyOrder();
        if (hashes > MaxKeyAttributes || keySchema.Count - hashes > MaxKeyAttributes) throw DynamoErrors.TooManyKeyAttributes(MaxKeyAttributes);
        if (keySchema.Select(k => k.AttributeName).Distinct().Count() != keySchema.Count) throw DynamoErrors.DuplicateKeyAttribute();
    }

    /// <summary>The most non-key attributes one index's INCLUDE projection may name.</summary>
    public const int MaxNonKeyAttributesPerIndex = 20;

    /// <summary>The most attributes a multi-attribute partition or sort key may have.</summary>
    public const int MaxKeyAttributes = 4;

    private const int MaxGlobalKeyElements = 2 * MaxKeyAttributes;

    private static void CheckProjection(Projection projection)
    {
        if (projection.ProjectionType is null) throw DynamoErrors.ProjectionTypeMissing();
        if (projection.NonKeyAttributes is not null && projection.ProjectionType != IndexInfo.Include)
            throw DynamoErrors.NonKeyAttributesNotAllowed(projection.ProjectionType);
        if (projection.ProjectionType == IndexInfo.Include && projection.NonKeyAttributes is null)
            throw DynamoErrors.EmptyNonKeyAttributes();
        if (projection.NonKeyAttributes is { } attributes && attributes.Distinct(StringComparer.Ordinal).Count() != attributes.Count)
            throw DynamoErrors.DuplicateNonKeyAttributes();
    }

    private static void CheckProjectedTotal(IEnumerable<Projection> projections)
    {
        var total = projections.Sum(p => p.NonKeyAttributes?.Count ?? 0);
        if (total > MaxProjectedAttributes)
            throw DynamoErrors.TooManyProjectedAttributes(total);
    }

    private static void CheckGlobalThroughput(string? billingMode, GlobalSecondaryIndex index)
    {
        if (billingMode == "PAY_PER_REQUEST")
        {
            if (index.ProvisionedThroughput is not null)
                throw DynamoErrors.IndexThroughputWithPayPerRequest(index.IndexName);
            return;
        }
        if (index.ProvisionedThroughput is null)
            throw DynamoErrors.IndexThroughputMissing(index.IndexName);
        ThroughputRules.CheckBounds(index.ProvisionedThroughput);
    }

    /// <summary>UpdateTable's GlobalSecondaryIndexUpdates at the edge: shapes, one action per update, one index created or deleted per call.</summary>
    public static void CheckUpdates(Violations violations, IReadOnlyList<GlobalSecondaryIndexUpdate>? updates)
    {
        for (var i = 0; i < (updates?.Count ?? 0); i++)
        {
            var member = $"globalSecondaryIndexUpdates.{i + 1}.member";
            if (updates![i].Create is { } create)
                CheckShape(violations, member + ".create", create.IndexName, create.KeySchema, create.Projection, create.ProvisionedThroughput, MaxGlobalKeyElements);
            if (updates[i].Delete is { } delete) violations.IndexName(delete.IndexName, member + ".delete.indexName");
            if (updates[i].Update is { } update)
            {
                violations.IndexName(update.IndexName, member + ".update.indexName");
                violations.NotNull(update.ProvisionedThroughput, member + ".update.provisionedThroughput");
                violations.Throughput(update.ProvisionedThroughput, member + ".update.provisionedThroughput");
            }
        }
    }

    public static void CheckUpdateActions(IReadOnlyList<GlobalSecondaryIndexUpdate> updates)
    {
        if (updates.Count == 0) throw DynamoErrors.EmptyIndexUpdates();
        foreach (var update in updates)
        {
            var actions = (update.Create is null ? 0 : 1) + (update.Delete is null ? 0 : 1) + (update.Update is null ? 0 : 1);
            if (actions != 1)
                throw DynamoErrors.EmptyIndexUpdate();
        }
        if (updates.Count(u => u.Create is not null || u.Delete is not null) > 1)
            throw DynamoErrors.OneOnlineIndexChangeAtATime();
    }

    /// <summary>
    /// The index's key check of a written item: present index keys must have the defined type, not be empty, and
    /// keep to the key size limits (2048 bytes for a partition key, 1024 for a sort key), as the table's keys do.
    /// </summary>
    public static void CheckItem(Item item, TableInfo table)
    {
        foreach (var index in table.SecondaryIndexes)
        {
            foreach (var key in index.KeyAttributes)
            {
                if (!item.TryGetValue(key.Name, out var value)) continue;
                if (value.Type != key.Type)
                    throw DynamoErrors.IndexKeyTypeMismatch(key.Name, key.Type, value.Type, index.Name);
                var size = KeyRules.SizeOf(value);
                if (size == 0)
                    throw DynamoErrors.EmptyIndexKeyValue(value.Type, index.Name, key.Name);
                var limit = index.HashAttributes.Contains(key) ? KeyRules.MaxHashKeyBytes : KeyRules.MaxRangeKeyBytes;
                if (size > limit) throw DynamoErrors.IndexKeyTooLarge(limit, index.Name, key.Name);
            }
        }
    }

    /// <summary>The value an item's index partition key hashes as: the attribute's, or a multi-attribute key's composite.</summary>
    public static AttributeValue HashValueOf(IndexInfo index, Item item) => index.HashAttributes.Count == 1
        ? item[index.KeySchema.HashKey.Name]
        : KeyBytes.Composite(index.HashAttributes.Select(k => item[k.Name]).ToList());

    /// <summary>Whether an item is in the index: it carries every index key attribute (indexes are sparse).</summary>
    public static bool Contains(IndexInfo index, Item item) =>
        index.KeyAttributes.All(k => item.ContainsKey(k.Name));

    /// <summary>What the index holds of an item: table and index keys, plus the projected attributes.</summary>
    public static Item Project(IndexInfo index, TableSchema table, Item item)
    {
        if (index.ProjectionType == IndexInfo.All) return item;
        var names = new HashSet<string>(table.KeyAttributeNames, StringComparer.Ordinal);
        names.UnionWith(index.KeyAttributeNames);
        if (index.ProjectionType == IndexInfo.Include) names.UnionWith(index.NonKeyAttributes);
        return new Item(item.Where(a => names.Contains(a.Key)));
    }

    /// <summary>The key attributes of an index entry: the table's keys and the index's.</summary>
    public static Item KeyOf(IndexInfo index, TableSchema table, Item item)
    {
        var names = table.KeyAttributeNames.Concat(index.KeyAttributeNames).Distinct(StringComparer.Ordinal);
        return new Item(names.Select(n => KeyValuePair.Create(n, item[n])));
    }

    /// <summary>The table's index from a Query or Scan, or DynamoDB's error when it has none of that name.</summary>
    public static IndexInfo Resolve(TableInfo table, string indexName, bool? consistentRead)
    {
        var index = table.FindIndex(indexName) ?? throw DynamoErrors.IndexNotFound(indexName);
        if (index.IsGlobal && consistentRead == true)
            throw DynamoErrors.ConsistentReadOnGlobalIndex();
        return index;
    }

    /// <summary>Select ALL_ATTRIBUTES on a global index needs a projection of ALL (a local index fetches from the table).</summary>
    public static void CheckSelect(IndexInfo index, string? select)
    {
        if (index.IsGlobal && select == SelectRules.AllAttributes && index.ProjectionType != IndexInfo.All)
            throw DynamoErrors.AllAttributesNotProjected(index.Name);
    }

    /// <summary>An index's ExclusiveStartKey carries exactly the table's and the index's key attributes.</summary>
    public static void CheckStartKey(Item start, IndexInfo index, TableSchema table)
    {
        var expected = table.KeyAttributes.Concat(index.KeyAttributes).DistinctBy(k => k.Name).ToList();
        if (start.Count != expected.Count || expected.Any(k => !start.TryGetValue(k.Name, out var v) || v.Type != k.Type))
            throw DynamoErrors.StartKeyMismatch();
    }
}

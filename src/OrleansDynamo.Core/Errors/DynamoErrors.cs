using OrleansDynamo.Operations;
using OrleansDynamo.Model;

namespace OrleansDynamo.Errors;

/// <summary>The one place DynamoDB errors are made, with DynamoDB's wording.</summary>
public static class DynamoErrors
{
    public static DynamoException Validation(string message) => new(DynamoErrorTypes.Validation, message);

    /// <summary>DynamoDB's constraint-violation wording: "1 validation error detected: ...".</summary>
    public static DynamoException ConstraintViolations(IReadOnlyList<string> violations) =>
        Validation($"{violations.Count} validation error{(violations.Count == 1 ? "" : "s")} detected: {string.Join("; ", violations)}");

    /// <summary>An error in one of a request's expressions: "Invalid ConditionExpression: ...".</summary>
    public static DynamoException InvalidExpression(string parameterName, string message) =>
        Validation($"Invalid {parameterName}: {message}");

    /// <summary>A runtime type error while applying an UpdateExpression.</summary>
    public static DynamoException UpdateOperandType() =>
        Validation("An operand in the update expression has an incorrect data type");

    /// <summary>An UpdateExpression operand names an attribute the item does not have.</summary>
    public static DynamoException UpdateAttributeMissing() =>
        Validation("The provided expression refers to an attribute that does not exist in the item");

    /// <summary>An UpdateExpression path runs through a missing or non-container attribute.</summary>
    public static DynamoException UpdateDocumentPathInvalid() =>
        Validation("The document path provided in the update expression is invalid for update");

    /// <summary>An UpdateExpression touches a key attribute.</summary>
    public static DynamoException UpdateKeyAttribute(string attributeName) =>
        InvalidParameterValues($"Cannot update attribute {attributeName}. This attribute is part of the key");

    /// <summary>DynamoDB's "One or more parameter values were invalid: ..." wording.</summary>
    public static DynamoException InvalidParameterValues(string detail) =>
        Validation($"One or more parameter values were invalid: {detail}");

    /// <summary>A request that mixes legacy parameters (Expected, AttributesToGet...) with expression parameters.</summary>
    public static DynamoException MixedExpressionParameters(IEnumerable<string> nonExpressionParameters, IEnumerable<string> expressionParameters) =>
        Validation("Can not use both expression and non-expression parameters in the same request: " +
            $"Non-expression parameters: {{{string.Join(", ", nonExpressionParameters)}}} Expression parameters: {{{string.Join(", ", expressionParameters)}}}");

    /// <summary>A legacy AttributeUpdates ADD or DELETE whose value has another type than the attribute.</summary>
    public static DynamoException AttributeUpdateTypeMismatch() => Validation("Type mismatch for attribute to update");

    /// <summary>A legacy KeyConditions entry with an operator a key cannot be searched by (NE, IN, NULL, CONTAINS...).</summary>
    public static DynamoException NotIndexableOperation() =>
        Validation("Attempted conditional constraint is not an indexable operation");

    public static DynamoException Serialization(string message) => new(DynamoErrorTypes.Serialization, message);

    public static DynamoException UnknownOperation() => new(DynamoErrorTypes.UnknownOperation, "");

    public static DynamoException ResourceNotFound(string message = "Requested resource not found") =>
        new(DynamoErrorTypes.ResourceNotFound, message);

    public static DynamoException TableNotFound(string tableName) =>
        ResourceNotFound($"Requested resource not found: Table: {tableName} not found");

    public static DynamoException ResourceInUse(string message) => new(DynamoErrorTypes.ResourceInUse, message);

    public static DynamoException ConditionalCheckFailed(Item? item = null) =>
        new(DynamoErrorTypes.ConditionalCheckFailed, "The conditional request failed", item);

    public static DynamoException InternalServerError(string message = "Internal server error") =>
        new(DynamoErrorTypes.InternalServerError, message);

    /// <summary>A write whose commit failed, or that was decided on one that did: safe to retry.</summary>
    public static DynamoException NotStored() => InternalServerError("The request could not be stored; retry it");

    public static DynamoException LimitExceeded(string message) => new(DynamoErrorTypes.LimitExceeded, message);

    // --- Transactions ---

    /// <summary>A single-item write of an item that a transaction holds.</summary>
    public static DynamoException TransactionConflict() =>
        new(DynamoErrorTypes.TransactionConflict, "Transaction is ongoing for the item");

    /// <summary>A transaction that did not happen: one reason per action, in order, named in the message.</summary>
    public static DynamoException TransactionCanceled(IReadOnlyList<CancellationReason> reasons) =>
        new(DynamoErrorTypes.TransactionCanceled,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [" + string.Join(", ", reasons.Select(r => r.Code)) + "]",
            cancellationReasons: reasons);

    /// <summary>A ClientRequestToken whose first transaction is still running.</summary>
    public static DynamoException TransactionInProgress() =>
        new(DynamoErrorTypes.TransactionInProgress, "Transaction from previous request is still in progress");

    /// <summary>A ClientRequestToken reused within its 10 minutes for a different request.</summary>
    public static DynamoException IdempotentParameterMismatch() =>
        new(DynamoErrorTypes.IdempotentParameterMismatch, "The request does not match the earlier request with the same client token");

    public static DynamoException MultipleOperationsOnOneItem() =>
        Validation("Transaction request cannot include multiple operations on one item");

    public static DynamoException TransactionActionNotOne() =>
        Validation("TransactItems can only contain one of Check, Put, Update or Delete");

    public static DynamoException TransactionTooLarge() =>
        Validation("Transaction request size has exceeded the maximum allowed size of 4 MB");

    /// <summary>The reason of an action that passed.</summary>
    public static CancellationReason PassedReason { get; } = new() { Code = CancellationCodes.None };

    public static CancellationReason ConflictReason() =>
        new() { Code = CancellationCodes.TransactionConflict, Message = "Transaction is ongoing for the item" };

    public static CancellationReason ConditionFailedReason(Item? item) =>
        new() { Code = CancellationCodes.ConditionalCheckFailed, Message = "The conditional request failed", Item = item };

    /// <summary>The reason of an action that failed with an error of its own (ValidationException, ItemCollectionSizeLimitExceeded).</summary>
    public static CancellationReason ReasonOf(DynamoException error) => new()
    {
        Code = error.ErrorType == DynamoErrorTypes.ItemCollectionSizeLimitExceeded ? CancellationCodes.ItemCollectionSizeLimitExceeded : CancellationCodes.ValidationError,
        Message = error.Message,
    };

    /// <summary>An item collection of a table with local secondary indexes would outgrow its size limit (10 GB).</summary>
    public static DynamoException ItemCollectionSizeLimitExceeded() =>
        new(DynamoErrorTypes.ItemCollectionSizeLimitExceeded, "Collection size exceeded.");

    // --- The DynamoDB JSON wire format (used by the HTTP endpoint's converters) ---

    /// <summary>A body that is not JSON at all: DynamoDB answers with no message.</summary>
    public static DynamoException MalformedRequest() => Serialization("");

    /// <summary>Coral's JSON type error, e.g. "class java.lang.Boolean can not be converted to an String".</summary>
    /// <param name="javaClass">The Java class Coral parsed the JSON value as.</param>
    /// <param name="target">The target with Coral's article: "an String", "an Boolean", "an Integer", "a Blob".</param>
    public static DynamoException CannotConvert(string javaClass, string target) =>
        Serialization($"class {javaClass} can not be converted to {target}");

    /// <summary>A string where a boolean belongs that Coral cannot read as one (it upper-cases the echo).</summary>
    public static DynamoException CannotConvertToBoolean(string upperCasedValue) =>
        Serialization($"'{upperCasedValue}' can not be converted to an Boolean");

    public static DynamoException InvalidBlob(string value, string reason) =>
        Serialization($"'{value}' can not be converted to a Blob: {reason}");

    /// <summary>A null element of a request list, or a null value of a request map.</summary>
    public static DynamoException NullMember(string member) =>
        ConstraintViolations([$"Value null at '{member}' failed to satisfy constraint: Member must not be null"]);

    public static DynamoException UnexpectedList() => Serialization("Start of list found where not expected");

    public static DynamoException UnexpectedStructure() => Serialization("Start of structure or map found where not expected.");

    /// <summary>A scalar where a structure belongs (Coral's wording).</summary>
    public static DynamoException ExpectedStructure() => Serialization("Expected null");

    public static DynamoException ExpectedList() => Serialization("Expected list or null");

    public static DynamoException ExpectedMap() => Serialization("Expected map or null");

    public static DynamoException EmptyAttributeValue() =>
        Validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");

    public static DynamoException AttributeValueHasMultipleTypes() =>
        Validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");

    public static DynamoException NullAttributeValueNotTrue() =>
        InvalidParameterValues("Null attribute value types must have the value of true");

    // DynamoDB's own spacing and grammar ("An string set  may not be empty"), kept as is.
    public static DynamoException EmptyStringSet() =>
        InvalidParameterValues("An string set  may not be empty");

    public static DynamoException EmptyNumberSet() =>
        InvalidParameterValues("An number set  may not be empty");

    public static DynamoException EmptyBinarySet() =>
        InvalidParameterValues("Binary sets should not be empty");

    public static DynamoException NullStringSetMember() =>
        InvalidParameterValues("An string set may not have a null string as a member");

    public static DynamoException NullBinarySetMember() =>
        InvalidParameterValues("Binary sets may not contain null or empty values");

    public static DynamoException DuplicateStringSetMembers(IEnumerable<string> members) =>
        InvalidParameterValues($"Input collection [{string.Join(", ", members)}] contains duplicates.");

    /// <summary>DynamoDB names neither the members nor the usual prefix for a number set.</summary>
    public static DynamoException DuplicateNumberSetMembers() => Validation("Input collection contains duplicates");

    /// <summary>Binary members are shown in base64; DynamoDB leaves out the space before "of".</summary>
    public static DynamoException DuplicateBinarySetMembers(IEnumerable<string> base64Members) =>
        InvalidParameterValues($"Input collection [{string.Join(", ", base64Members)}]of type BS contains duplicates.");

    /// <summary>An attribute value error inside ExpressionAttributeValues, which DynamoDB wraps with the key.</summary>
    public static DynamoException InvalidExpressionAttributeValue(string key, DynamoException error) =>
        Validation($"ExpressionAttributeValues contains invalid value: {error.Message} for key {key}");

    // --- Streams and time to live ---

    public static DynamoException StreamAlreadyEnabled(string tableName) => Validation($"Table already has an enabled stream: TableName: {tableName}");

    public static DynamoException NoStreamToDisable(string tableName) => Validation($"Table has no stream to disable: TableName: {tableName}");

    /// <summary>A StreamSpecification whose view type does not fit StreamEnabled; <paramref name="creating"/> for CreateTable's wording.</summary>
    public static DynamoException StreamViewTypeMismatch(bool enabling, bool creating) => InvalidParameterValues((creating, enabling) switch
    {
        (true, true) => "Table is being created with a stream enabled, UpdateViewType is required",
        (true, false) => "Table is being created with a stream disabled, UpdateViewType should not be specified",
        (false, true) => "If stream is being enabled then UpdateViewType is required",
        (false, false) => "If stream is being disabled, then UpdateViewType must not be specified",
    });

    /// <summary>Our wording, after DynamoDB's message for a stream change with a throughput change.</summary>
    public static DynamoException StreamWithIndexChange() =>
        InvalidParameterValues("You cannot modify stream status while updating global secondary indexes");

    public static DynamoException StreamWithThroughputChange() => InvalidParameterValues("You cannot modify stream status while updating table IOPS");

    public static DynamoException StreamNotFound(string streamArn) => ResourceNotFound($"Requested resource not found: Stream: {streamArn} not found");

    public static DynamoException ShardNotFound() => ResourceNotFound("Requested resource not found: Shard does not exist");

    public static DynamoException TrimmedDataAccess() => new(DynamoErrorTypes.TrimmedDataAccess, "The data you are trying to access has been trimmed");

    public static DynamoException ExpiredIterator() => new(DynamoErrorTypes.ExpiredIterator, "The provided iterator exceeds the maximum age allowed.");

    public static DynamoException InvalidShardIterator() => Validation("Invalid ShardIterator");

    public static DynamoException InvalidStreamArn(string streamArn) => Validation($"Invalid StreamArn: {streamArn}");

    /// <summary>GetShardIterator: a sequence number with TRIM_HORIZON or LATEST, or none with AT_ or AFTER_SEQUENCE_NUMBER.</summary>
    public static DynamoException SequenceNumberMismatch(string iteratorType, bool given) => Validation(given
        ? $"Invalid SequenceNumber for ShardIteratorType: {iteratorType}: SequenceNumber must not be specified"
        : $"Invalid SequenceNumber for ShardIteratorType: {iteratorType}: SequenceNumber is required");

    /// <summary>A sequence number outside the shard's range.</summary>
    public static DynamoException SequenceNumberOutOfRange(string sequenceNumber, string shardId) =>
        Validation($"Invalid SequenceNumber {sequenceNumber} for shard {shardId}: it is outside the shard's range");

    public static DynamoException TimeToLiveAlreadyEnabled() => Validation("TimeToLive is already enabled");

    public static DynamoException TimeToLiveAlreadyDisabled() => Validation("TimeToLive is already disabled");

    public static DynamoException TimeToLiveOnOtherAttribute(string attributeName) =>
        Validation($"TimeToLive is active on a different AttributeName: current AttributeName is {attributeName}");

    public static DynamoException TimeToLiveChangedTooOften() => Validation("Time to live has been modified multiple times within a fixed interval");

    // --- tables, indexes, keys, expressions and batches ---


    /// <summary>A number DynamoDB cannot take; <paramref name="reason"/> is <see cref="Model.DynamoNumber"/>'s own message.</summary>
    public static DynamoException InvalidNumber(string reason) => Validation(reason);

    public static DynamoException TableHasNoStream(string table) => Validation($"Table {table} has no stream");

    public static DynamoException KeyBetweenOperandOrder() => Validation("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand");

    public static DynamoException KeyBeginsWithOperandOrder() => Validation("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand");

    public static DynamoException KeyConditionNested() => Validation("KeyConditionExpressions cannot contain nested operations");

    public static DynamoException KeyConditionManyAttributes() => Validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");

    public static DynamoException KeyConditionOnNestedAttribute() => Validation("KeyConditionExpressions cannot have conditions on nested attributes");

    public static DynamoException KeyConditionWithoutKey() => Validation("Invalid condition in KeyConditionExpression: No key attribute specified");

    public static DynamoException KeyConditionTwicePerKey() => Validation("KeyConditionExpressions must only contain one condition per key");

    public static DynamoException KeyConditionOperator(string name) => Validation($"Invalid operator used in KeyConditionExpression: {name}");

    public static DynamoException KeyConditionMissing(string key) => Validation($"Query condition missed key schema element: {key}");

    public static DynamoException KeyConditionNotSupported() => Validation("Query key condition not supported");

    public static DynamoException KeyConditionsCount() => Validation("Conditions can be of length 1 or 2 only");

    public static DynamoException BetweenBoundsReversed() => Validation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");

    public static DynamoException KeyConditionRequired() => Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");

    public static DynamoException NamesWithoutExpressions() => Validation("ExpressionAttributeNames can only be specified when using expressions");

    /// <param name="suffix">DynamoDB's ": ConditionExpression is null" and the like, or "".</param>
    public static DynamoException ValuesWithoutExpressions(string suffix) => Validation($"ExpressionAttributeValues can only be specified when using expressions{suffix}");

    public static DynamoException EmptyExpressionAttributeNames() => Validation("ExpressionAttributeNames must not be empty");

    public static DynamoException InvalidNamePlaceholder(string key) => Validation($"ExpressionAttributeNames contains invalid key: Syntax error; key: \"{key}\"");

    public static DynamoException EmptyExpressionAttributeValues() => Validation("ExpressionAttributeValues must not be empty");

    public static DynamoException InvalidValuePlaceholder(string key) => Validation($"ExpressionAttributeValues contains invalid key: Syntax error; key: \"{key}\"");

    public static DynamoException UnusedNames(IEnumerable<string> keys) => Validation($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", keys)}}}");

    public static DynamoException UnusedValues(IEnumerable<string> keys) => Validation($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", keys)}}}");

    public static DynamoException ConditionTypeMismatch() => InvalidParameterValues("Condition parameter type does not match schema type");

    public static DynamoException DuplicateKeys() => Validation("Provided list of item keys contains duplicates");

    public static DynamoException TooManyBatchGetKeys() => Validation("Too many items requested for the BatchGetItem call");

    public static DynamoException DuplicateProjectedAttribute(string attribute) => InvalidParameterValues($"Duplicate value in attribute name: {attribute}");

    public static DynamoException TooManyBatchWrites() => Validation("Too many items requested for the BatchWriteItem call");

    /// <summary>BatchWriteItem's wording: DynamoDB drops the space before "2048" here, unlike PutItem.</summary>
    public static DynamoException BatchHashKeyTooLarge() => InvalidParameterValues("Size of hashkey has exceeded the maximum size limit of2048 bytes");

    public static DynamoException ThroughputWithPayPerRequest() => InvalidParameterValues("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");

    public static DynamoException ThroughputMissingWhenProvisioned() => InvalidParameterValues("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");

    public static DynamoException DuplicateAttributeDefinition() => Validation("Cannot have two attributes with the same name");

    public static DynamoException KeyAttributeWithoutDefinition() => Validation("Invalid KeySchema: Some index key attribute have no definition");

    public static DynamoException HashAndRangeKeySameName() => Validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");

    public static DynamoException FirstKeyNotHash() => Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");

    public static DynamoException SecondKeyNotRange() => Validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");

    public static DynamoException KeySchemaDefinitionCountMismatch() => InvalidParameterValues("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");

    public static DynamoException SequenceNumberNotDigits(string sequence) => Validation($"Invalid SequenceNumber: {sequence}: it must contain digits only");

    public static DynamoException EmptyLocalIndexList() => InvalidParameterValues("List of LocalSecondaryIndexes is empty");

    public static DynamoException LocalIndexNeedsTableRangeKey() => InvalidParameterValues("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");

    public static DynamoException LocalIndexNeedsRangeKey(string? index) => InvalidParameterValues($"Index KeySchema does not have a range key for index: {index}");

    public static DynamoException DuplicateIndexName(string? index) => InvalidParameterValues($"Duplicate index name: {index}");

    public static DynamoException TooManyLocalIndexes() => InvalidParameterValues("Number of LocalSecondaryIndexes exceeds per-table limit of 5");

    public static DynamoException EmptyGlobalIndexList() => InvalidParameterValues("List of GlobalSecondaryIndexes is empty");

    public static DynamoException TooManyGlobalIndexes() => InvalidParameterValues("GlobalSecondaryIndex count exceeds the per-table limit of 20");

    public static DynamoException UnusedAttributeDefinitions(IEnumerable<string> definitions, IEnumerable<string> used) =>
        InvalidParameterValues($"Some AttributeDefinitions are not used. AttributeDefinitions: [{string.Join(", ", definitions)}], keys used: [{string.Join(", ", used)}]");

    public static DynamoException NewIndexNeedsDefinitions() => InvalidParameterValues("AttributeDefinitions must be provided when creating a new global secondary index");

    public static DynamoException AttributeTypeChange(string? attribute) => InvalidParameterValues($"Cannot change the type of the existing attribute {attribute}");

    // Multi-attribute keys: our wording; the developer guide gives the rules, not the messages.
    public static DynamoException KeyConditionSkipsSortKey(string key) =>
        Validation($"Query key condition not supported: a condition on a sort key attribute needs conditions on those before it; missing: {key}");

    public static DynamoException MultiAttributeKeyOrder() =>
        Validation("Invalid KeySchema: every HASH key element must come before the RANGE key elements");

    public static DynamoException TooManyKeyAttributes(int max) =>
        Validation($"Invalid KeySchema: a partition or sort key may have at most {max} attributes");

    public static DynamoException DuplicateKeyAttribute() => Validation("Invalid KeySchema: an attribute may appear only once in a KeySchema");

    public static DynamoException IndexAlreadyExists() => Validation("Attempting to create an index which already exists");

    public static DynamoException IndexKeysNotDefined(IEnumerable<string> keys, IEnumerable<string> definitions) =>
        InvalidParameterValues($"Some index key attributes are not defined in AttributeDefinitions. Keys: [{string.Join(", ", keys)}], AttributeDefinitions: [{string.Join(", ", definitions)}]");

    public static DynamoException ProjectionTypeMissing() => InvalidParameterValues("Unknown ProjectionType: null");

    public static DynamoException NonKeyAttributesNotAllowed(string? projectionType) => InvalidParameterValues($"ProjectionType is {projectionType}, but NonKeyAttributes is specified");

    public static DynamoException EmptyNonKeyAttributes() => InvalidParameterValues("NonKeyAttributes must not be empty");

    public static DynamoException DuplicateNonKeyAttributes() => InvalidParameterValues("Duplicate NonKeyAttributes");

    public static DynamoException TooManyProjectedAttributes(int projected) =>
        InvalidParameterValues($"The number of attributes in key schema must be less than or equal to 100 for all indexes. Number of non-key attributes projected: {projected}");

    public static DynamoException IndexThroughputMissing(string? index) => InvalidParameterValues($"ProvisionedThroughput is not specified for index: {index}");

    public static DynamoException EmptyIndexUpdates() => InvalidParameterValues("GlobalSecondaryIndexUpdates is empty");

    public static DynamoException EmptyIndexUpdate() => InvalidParameterValues("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null");

    // --- Throttling: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling.html ---

    /// <summary>A PROVISIONED table (or a global index read through it) used up its capacity.</summary>
    public static DynamoException ProvisionedThroughputExceeded(ThrottlingReason reason) =>
        new(DynamoErrorTypes.ProvisionedThroughputExceeded,
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
            throttlingReasons: [reason]);

    /// <summary>A write to the table was refused because a PROVISIONED global index of it has no write capacity left.</summary>
    public static DynamoException IndexProvisionedThroughputExceeded(ThrottlingReason reason) =>
        new(DynamoErrorTypes.ProvisionedThroughputExceeded,
            "The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API",
            throttlingReasons: [reason]);

    /// <summary>An on-demand table reached its OnDemandThroughput maximum or a partition's limit.</summary>
    public static DynamoException Throttling(ThrottlingReason reason) =>
        new(DynamoErrorTypes.Throttling,
            "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html",
            throttlingReasons: [reason]);

    /// <summary>UpdateTable past the decreases a UTC day allows: four, then one an hour.</summary>
    public static DynamoException ThroughputDecreasesLimited(long decreasesToday, DateTimeOffset lastDecrease, DateTimeOffset nextDecrease) =>
        LimitExceeded("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, "
            + "each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. "
            + $"Number of decreases today: {decreasesToday}. Last decrease at {DecreaseTime(lastDecrease)}. Next decrease can be made at {DecreaseTime(nextDecrease)}");

    private static string DecreaseTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("dddd, MMMM d, yyyy 'at' h:mm:ss tt 'Coordinated Universal Time'", System.Globalization.CultureInfo.InvariantCulture);

    public static DynamoException OneOnlineIndexChangeAtATime() => LimitExceeded("Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");

    public static DynamoException IndexKeyTypeMismatch(string key, AttributeType expected, AttributeType actual, string index) =>
        InvalidParameterValues($"Type mismatch for Index Key {key} Expected: {expected} Actual: {actual} IndexName: {index}");

    public static DynamoException ConsistentReadOnGlobalIndex() => Validation("Consistent reads are not supported on global secondary indexes");

    public static DynamoException AllAttributesNotProjected(string index) =>
        InvalidParameterValues($"Select type ALL_ATTRIBUTES is not supported for global secondary index {index} because its projection type is not ALL");

    public static DynamoException StartKeyMismatch() => Validation("The provided starting key is invalid: The provided key element does not match the schema");

    public static DynamoException EmptyAttributeName() => InvalidParameterValues("Empty attribute name");

    public static DynamoException AttributeNameTooLarge() => ConstraintViolations(["Attribute name is too large, must be less than 65536 bytes"]);

    public static DynamoException NestingTooDeep() => Validation("Nesting Levels have exceeded supported limits");

    public static DynamoException MissingKeyInItem(string key) => InvalidParameterValues($"Missing the key {key} in the item");

    public static DynamoException KeyTypeMismatch(string key, AttributeType expected, AttributeType actual) =>
        InvalidParameterValues($"Type mismatch for key {key} expected: {expected} actual: {actual}");

    public static DynamoException HashKeyTooLarge() => InvalidParameterValues("Size of hashkey has exceeded the maximum size limit of 2048 bytes");

    public static DynamoException RangeKeyTooLarge() => InvalidParameterValues("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");

    public static DynamoException StartKeyOutsideQuery() => Validation("The provided starting key is outside query boundaries based on provided conditions");

    public static DynamoException ReturnValuesAllOldOrNone() => Validation("ReturnValues can only be ALL_OLD or NONE");

    public static DynamoException TotalSegmentsRequired() => Validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");

    public static DynamoException SegmentRequired() => Validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");

    public static DynamoException CapacityOutOfBounds(long? value, string member) => Validation($"Given value {value} for {member} is out of bounds");

    public static DynamoException NothingToUpdate() => Validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");

    public static DynamoException ProvisionedThroughputRequired() => InvalidParameterValues("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");

    public static DynamoException IndexNotFound(string index) => Validation($"The table does not have the specified index: {index}");

    public static DynamoException IndexResourceNotFound(string? index) => ResourceNotFound($"Requested resource not found: Index: {index} not found");

    public static DynamoException IndexThroughputWithPayPerRequest(string? index) => InvalidParameterValues($"ProvisionedThroughput should not be specified for index: {index} when BillingMode is PAY_PER_REQUEST");

    public static DynamoException TableAlreadyExists(string table) => ResourceInUse($"Table already exists: {table}");

    public static DynamoException DeletionProtected() => Validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");

    /// <param name="parameter">"Filter Expression" or "QueryFilter", as DynamoDB names them here.</param>
    public static DynamoException FilterOnKeyAttribute(string parameter, string key) =>
        Validation($"{parameter} can only contain non-primary key attributes: Primary key attribute: {key}");

    public static DynamoException StartKeyOutsideSegment(int? totalSegments, int? segment) =>
        Validation($"The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {totalSegments} Segment: {segment}");

    public static DynamoException AttributesToGetWithProjection() =>
        Validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");

    public static DynamoException EmptyIndexKeyValue(AttributeType type, string index, string key) =>
        Validation($"One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {EmptyKind(type)} value. IndexName: {index}, IndexKey: {key}");

    /// <summary>Our wording, in the form of DynamoDB's other secondary index key errors.</summary>
    public static DynamoException IndexKeyTooLarge(int limitBytes, string index, string key) =>
        Validation($"One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot be larger than {limitBytes} bytes. IndexName: {index}, IndexKey: {key}");

    public static DynamoException EmptyKeyValue(AttributeType type, string key) =>
        Validation($"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {EmptyKind(type)} value. Key: {key}");

    private static string EmptyKind(AttributeType type) => type == AttributeType.S ? "string" : "binary";

    public static DynamoException LocalIndexHashKeyDiffers(string? index, string? indexHash, string? tableHash) =>
        InvalidParameterValues($"Index KeySchema does not have the same leading hash key as table KeySchema for index: {index}. index hash key: {indexHash}, table hash key: {tableHash}");

    public static DynamoException KeyMismatch() => Validation("The provided key element does not match the schema");

    public static DynamoException SegmentNotLessThanTotal(int? segment, int? totalSegments) =>
        Validation($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is not less than TotalSegments: {totalSegments}");

    public static DynamoException ThroughputUnchanged(long currentRead, long? read, long currentWrite, long? write) =>
        Validation($"The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {currentRead}. Requested ReadCapacityUnits: {read}. Current WriteCapacityUnits provisioned for the table: {currentWrite}. Requested WriteCapacityUnits: {write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to increase them.");

    public static DynamoException ItemTooLarge() => Validation("Item size has exceeded the maximum allowed size");

    public static DynamoException UpdatedItemTooLarge() => Validation("Item size to update has exceeded the maximum allowed size");

    // Query words these as constraint violations ("1 validation error detected: ..."), Scan does not.
    private static DynamoException SelectError(bool asConstraint, string message) => Validation((asConstraint ? "1 validation error detected: " : "") + message);

    public static DynamoException SpecificAttributesNeedProjection(bool query) =>
        SelectError(query, "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");

    public static DynamoException AllProjectedNeedsIndex(bool query) => SelectError(query, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");

    /// <param name="parameter">ProjectionExpression or AttributesToGet.</param>
    public static DynamoException SelectWithProjection(bool query, string parameter, string chosen) =>
        SelectError(query, $"Cannot specify the {parameter} when choosing to get {chosen}");

    // legacy parameters

    public static DynamoException LegacyValueRequired(string exists, string name) => InvalidParameterValues($"Value must be provided when Exists is {exists} for Attribute: {name}");

    public static DynamoException LegacyDeleteOnlyWithoutValue() => InvalidParameterValues("Only DELETE action is allowed when no attribute value is specified");

    public static DynamoException LegacyDeleteValueType(AttributeType type) => InvalidParameterValues($"DELETE action with value is not supported for the type {type}");

    public static DynamoException LegacyAddType(AttributeType type) => InvalidParameterValues($"ADD action is not supported for the type {type}");

    public static DynamoException LegacyValueWithList(string name) => InvalidParameterValues($"Value and AttributeValueList cannot be used together for Attribute: {name}");

    public static DynamoException LegacyExistsWithOperator(string name) => InvalidParameterValues($"Exists and ComparisonOperator cannot be used together for Attribute: {name}");

    public static DynamoException LegacyOperatorNeedsValue(string op, string name) =>
        InvalidParameterValues($"Value or AttributeValueList must be used with ComparisonOperator: {op} for Attribute: {name}");

    public static DynamoException LegacyListNeedsOperator(string name) => InvalidParameterValues($"AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}");

    public static DynamoException LegacyValueWhenNotExists(string name) => InvalidParameterValues($"Value cannot be used when Exists is false for Attribute: {name}");

    public static DynamoException LegacyArgumentCount(string op) => InvalidParameterValues($"Invalid number of argument(s) for the {op} ComparisonOperator");

    public static DynamoException LegacyMixedListTypes() => InvalidParameterValues("AttributeValues inside AttributeValueList must be of same type");

    public static DynamoException LegacyOperatorType(string op, AttributeType type) => InvalidParameterValues($"ComparisonOperator {op} is not valid for {type} AttributeValue type");

    // --- tags and table settings ---

    public static DynamoException InvalidTableArn() => Validation("Invalid TableArn");

    public static DynamoException NotAnArn(string value) => InvalidParameterValues($"ARNs must start with 'arn:': {value}");

    public static DynamoException InvalidResourceArn(string arn) => Validation($"Invalid TableArn: Invalid ResourceArn provided as input {arn}");

    public static DynamoException ResourceArnNotFound(string arn) => ResourceNotFound($"Requested resource not found: ResourceArn: {arn} not found");

    // DynamoDB's spelling.
    public static DynamoException NoTagsGiven() => Validation("Atleast one Tag needs to be provided as Input.");

    public static DynamoException NoTagKeysGiven() => Validation("Atleast one Tag Key needs to be provided as Input.");

    public static DynamoException InvalidTagKey(string? key) => Validation($"The Tag Key provided is invalid, Key: {key ?? "null"}");

    public static DynamoException InvalidTagValue(string? value) => Validation($"The Tag Value provided is invalid, Value: {value ?? "null"}");

    public static DynamoException ReservedTagPrefix(string key) => Validation($"Tag Key cannot be prefixed with aws:, Key: {key}");

    public static DynamoException DuplicateTagKey(string key) => Validation($"Duplicate Tag Keys provided as input: Duplicate Tag Key found {key}");

    public static DynamoException TooManyTags() => Validation("Number of Tags exceed the current limit for the provided ResourceArn");

    public static DynamoException InvalidTableClass() =>
        Validation("Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].");

    public static DynamoException SseTypeWithoutEncryption() => InvalidParameterValues("SSEType can not be specified if Enabled is false");

    public static DynamoException SseKeyWithoutEncryption() =>
        InvalidParameterValues("KMSMasterKeyId can not be specified if Enabled is false");

    public static DynamoException SseAes256NotSupported() => InvalidParameterValues("SSEType AES256 is not supported");

    public static DynamoException OnDemandThroughputWhenProvisioned(string member) =>
        InvalidParameterValues($"{member} for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED");

    public static DynamoException OnDemandThroughputOutOfRange(string member) =>
        InvalidParameterValues($"Requested {member} for OnDemandThroughput for table is outside of valid range");

    /// <param name="change">As DynamoDB names it: "TableClass modification", "WarmThroughput", ...</param>
    public static DynamoException SettingMustComeAlone(string change) =>
        InvalidParameterValues($"{change} must be the only operation in the request");

    /// <summary>Warm throughput only grows (the developer guide: "you can increase this value"). Our wording.</summary>
    public static DynamoException WarmThroughputDecrease(string member, long current) =>
        InvalidParameterValues($"Requested {member} for WarmThroughput is lower than the table's current warm throughput of {current}; warm throughput can only be increased");

    /// <summary>DescribeContinuousBackups' own not-found error.</summary>
    public static DynamoException ContinuousBackupsTableNotFound(string table) => new(DynamoErrorTypes.TableNotFound, $"Table not found: {table}");

    // --- Backups and point-in-time recovery ---

    public static DynamoException BackupNotFound(string backupArn) => new(DynamoErrorTypes.BackupNotFound, $"Backup not found: {backupArn}");

    public static DynamoException BackupInUse(string backupArn) =>
        new(DynamoErrorTypes.BackupInUse, $"Backup is being created and cannot be used or deleted yet: {backupArn}");

    /// <summary>A restore's target table exists.</summary>
    public static DynamoException TargetTableExists(string table) => new(DynamoErrorTypes.TableAlreadyExists, $"Table already exists: {table}");

    /// <summary>A backup of a table that a restore or an import is still filling (CREATING).</summary>
    public static DynamoException TableInUse(string table) => new(DynamoErrorTypes.TableInUse, $"Table is being created: {table}");

    /// <summary>UpdateTable or DeleteTable of a table that a restore or an import is still filling.</summary>
    public static DynamoException TableBeingFilled(string table) => ResourceInUse($"Attempt to change a resource which is still in use: Table is being created: {table}");

    public static DynamoException PointInTimeRecoveryUnavailable(string table) =>
        new(DynamoErrorTypes.PointInTimeRecoveryUnavailable, $"Point in time recovery is not enabled for table '{table}'");

    public static DynamoException InvalidRestoreTime(double earliest, double latest) =>
        new(DynamoErrorTypes.InvalidRestoreTime, $"RestoreDateTime must be between EarliestRestorableDateTime ({earliest:0.###}) and LatestRestorableDateTime ({latest:0.###})");

    public static DynamoException InvalidExportTime(double earliest, double latest) =>
        new(DynamoErrorTypes.InvalidExportTime, $"ExportTime must be between EarliestRestorableDateTime ({earliest:0.###}) and LatestRestorableDateTime ({latest:0.###})");

    public static DynamoException BackupTimeRangeInverted() => Validation("TimeRangeLowerBound must not be after TimeRangeUpperBound");

    public static DynamoException RestoreSourceRequired() => Validation("Exactly one of SourceTableArn and SourceTableName must be given");

    public static DynamoException RestoreTimeAndLatest() => Validation("RestoreDateTime cannot be given together with UseLatestRestorableTime");

    public static DynamoException RecoveryPeriodWhileDisabled() =>
        Validation("RecoveryPeriodInDays can only be given when PointInTimeRecoveryEnabled is true");

    /// <summary>A format or kind of transfer DynamoDB has and this server does not write or read (ION, incremental exports). Our wording.</summary>
    public static DynamoException TransferFormatNotSupported(string parameter, string value) => Validation($"{parameter} {value} is not supported by this server");

    public static DynamoException CsvOptionsWithoutCsv() => Validation("InputFormatOptions.Csv can only be given when InputFormat is CSV");

    public static DynamoException ExportNotFound(string exportArn) => new(DynamoErrorTypes.ExportNotFound, $"Export not found: {exportArn}");

    public static DynamoException ImportNotFound(string importArn) => new(DynamoErrorTypes.ImportNotFound, $"Import not found: {importArn}");

    /// <summary>A ClientToken used again, within 8 hours, with other parameters.</summary>
    public static DynamoException ExportConflict() => new(DynamoErrorTypes.ExportConflict, "An export with this ClientToken and other parameters was started");

    public static DynamoException ImportConflict() => new(DynamoErrorTypes.ImportConflict, "An import with this ClientToken and other parameters was started");

    // --- PartiQL ---

    public static DynamoException PartiQLSyntax(string detail) => Validation($"Statement wasn't well formed, can't be processed: {detail}");

    public static DynamoException PartiQLParameterCount() => Validation("Number of parameters in request and statement don't match.");

    public static DynamoException PartiQLWhereNeedsKey() => Validation("Where clause does not contain a mandatory equality on all key attributes");

    public static DynamoException PartiQLOrderByNeedsKey() =>
        Validation("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.");

    public static DynamoException PartiQLOrderByNeedsWhere() => Validation("Must have WHERE clause in the statement when using ORDER BY clause.");

    public static DynamoException PartiQLOrderByNotKey(string attribute) =>
        Validation($"Variable reference {attribute} in ORDER BY clause must be part of the primary key");

    public static DynamoException PartiQLTooManyPartitionValues(int max) =>
        Validation($"Statement wasn't well formed, can't be processed: IN on the partition key takes at most {max} values");

    public static DynamoException PartiQLMissingNeedsIs() => Validation("MISSING must be compared using IS operator");

    public static DynamoException PartiQLInsertReturning() => Validation("RETURNING is not supported in INSERT");

    public static DynamoException PartiQLBatchReadNeedsKey() =>
        Validation("Select statements within BatchExecuteStatement must specify the primary key in the where clause.");

    public static DynamoException PartiQLTransactionReturning() => Validation("RETURNING clause is not supported in ExecuteTransaction.");

    public static DynamoException PartiQLTransactionIndexRead() => Validation("Reads on indices are not supported within transactions.");

    /// <summary>A statement of ExecuteTransaction that failed validation: DynamoDB names its place in the list.</summary>
    public static DynamoException PartiQLTransactionStatement(int index, DynamoException error) =>
        Validation($"Validation failed in TransactStatements[{index}]: {error.Message}");

    public static DynamoException PartiQLInvalidNextToken() => Validation("Invalid NextToken");

    public static DynamoException PartiQLNextTokenMismatch() => Validation("NextToken does not match request");

    public static DynamoException PartiQLIndexNotFound(string table, string index) => Validation("The table does not have the specified index");

    public static DynamoException PartiQLInsertNeedsItem() => Validation("Unsupported operation: Inserting a value that is not a tuple (an item in braces)");

    public static DynamoException PartiQLReturningNotSupported(string returning) => Validation($"Invalid returning clause: RETURNING {Spelled(returning)}. Only RETURNING ALL OLD * is allowed in DELETE statements.");

    public static DynamoException PartiQLUnknownFunction(string name) => Validation($"Unsupported function: {name}");

    public static DynamoException PartiQLInvalidSet() => Validation("A set literal needs members all strings, all numbers or all binaries");

    public static DynamoException PartiQLMixedBatch() => Validation("Read and write requests together in the same batch is not supported.");

    public static DynamoException PartiQLMixedTransaction() =>
        Validation("ExecuteTransaction API does not support both read and write operations in the same request.");

    public static DynamoException PartiQLExistsOutsideTransaction() => Validation("EXISTS can only be used in ExecuteTransaction write requests.");

    /// <summary>A RETURNING clause as written: UPDATED_OLD is MODIFIED OLD *.</summary>
    private static string Spelled(string returnValues) => returnValues.Replace("UPDATED", "MODIFIED").Replace('_', ' ') + " *";

    public static DynamoException DuplicateItem() => new(DynamoErrorTypes.DuplicateItem, "Duplicate primary key exists in table");

    // --- authentication (SigV4) and authorization ---

    public static DynamoException MissingAuthenticationToken() =>
        new(DynamoErrorTypes.MissingAuthenticationToken, "Request is missing Authentication Token");

    /// <summary>A web console request without a signed-in session (the console's own wording: DynamoDB has no console API).</summary>
    public static DynamoException ConsoleSignInRequired() =>
        new(DynamoErrorTypes.MissingAuthenticationToken, "Sign in to the console with an access key and its secret");

    /// <summary>A web console request without the anti-forgery token of its page: another site's form or script sent it.</summary>
    public static DynamoException ConsoleForgeryRefused() =>
        new(DynamoErrorTypes.AccessDenied, "The request does not carry the console's anti-forgery token");

    /// <summary>A console sign-in with an access key the server does not know, or the wrong secret for it.</summary>
    public static DynamoException ConsoleSignInFailed() =>
        new(DynamoErrorTypes.UnrecognizedClient, "The access key or its secret is not right");

    /// <summary>An access key, or a session token, the server does not know.</summary>
    public static DynamoException UnrecognizedClient() =>
        new(DynamoErrorTypes.UnrecognizedClient, "The security token included in the request is invalid.");

    public static DynamoException SignatureMismatch() =>
        new(DynamoErrorTypes.InvalidSignature, "The request signature we calculated does not match the signature you provided. " +
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    /// <param name="signed">The request's time; <paramref name="now"/> the server's (both as yyyyMMddTHHmmssZ).</param>
    public static DynamoException SignatureExpired(string signed, string earliest, string now) =>
        new(DynamoErrorTypes.InvalidSignature, $"Signature expired: {signed} is now earlier than {earliest} ({now} - 15 min.)");

    public static DynamoException SignatureNotYetCurrent(string signed, string latest, string now) =>
        new(DynamoErrorTypes.InvalidSignature, $"Signature not yet current: {signed} is still later than {latest} ({now} + 15 min.)");

    public static DynamoException CredentialWrongRegion(string region) =>
        new(DynamoErrorTypes.InvalidSignature, $"Credential should be scoped to a valid region, not '{region}'. ");

    public static DynamoException CredentialWrongService(string service) =>
        new(DynamoErrorTypes.InvalidSignature, $"Credential should be scoped to correct service: '{service}'. ");

    public static DynamoException CredentialWrongTerminator(string terminator) =>
        new(DynamoErrorTypes.InvalidSignature, $"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ");

    public static DynamoException CredentialDateMismatch(string scopeDate, string date, string amzDate) =>
        new(DynamoErrorTypes.InvalidSignature,
            $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{date}', from '{amzDate}'.");

    /// <summary>An Authorization header, or presigned query, that lacks parts: each missing part is named, then the header.</summary>
    public static DynamoException IncompleteSignature(string message) => new(DynamoErrorTypes.IncompleteSignature, message);

    public static string MissingAuthorizationPart(string part) => $"Authorization header requires '{part}' parameter. ";

    public const string MissingAuthorizationDate = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";

    public static string MissingQueryPart(string part) => $"AWS query-string parameters must include '{part}'. ";

    public const string ReexamineQuery = "Re-examine the query-string parameters.";

    public static DynamoException HostNotSigned() =>
        IncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

    /// <summary>An Authorization header of another scheme than AWS4-HMAC-SHA256. Our wording.</summary>
    public static DynamoException UnsupportedSignatureAlgorithm(string algorithm) =>
        IncompleteSignature($"Unsupported AWS 'algorithm': '{algorithm}'; only AWS4-HMAC-SHA256 is accepted");

    /// <summary>IAM's denial, naming the user, the action and the resource, and why.</summary>
    public static DynamoException AccessDenied(string userArn, string action, string resource, bool explicitDeny) =>
        new(DynamoErrorTypes.AccessDenied, $"User: {userArn} is not authorized to perform: {action} on resource: {resource} " +
            (explicitDeny ? "with an explicit deny in an identity-based policy" : $"because no identity-based policy allows the {action} action"));

    // --- Export and import (S3 buckets are folders under the server's --export-root; the wording is ours) ---

    /// <summary>An export or import on a server started without --export-root: there is no folder to stand for S3.</summary>
    public static DynamoException ExportRootNotConfigured() =>
        Validation("Export and import need the server's --export-root: the folder under which each S3 bucket is a sub-folder");

    /// <summary>A bucket name S3 would refuse: 3 to 63 lowercase letters, digits, dots and hyphens, a letter or digit at each end.</summary>
    public static DynamoException InvalidS3BucketName(string bucket) =>
        Validation($"Invalid S3 bucket name: {bucket}: a bucket name has 3 to 63 lowercase letters, digits, dots and hyphens, begins and ends with a letter or digit, and has no two dots in a row");

    /// <summary>A bucket and prefix that would name a folder outside the export root ("..", an absolute path).</summary>
    public static DynamoException S3PrefixOutsideExportRoot(string bucket, string? prefix) =>
        Validation($"The S3 prefix {prefix} of bucket {bucket} does not name a folder inside the bucket: '.' and '..' segments and absolute paths are not allowed");

    /// <summary>An import record that cannot be read as an item: not JSON, no "Item" object, a value of the wrong JSON type, a broken CSV quote.</summary>
    public static DynamoException ImportRecordUnparsable(string detail) => Validation($"Unable to parse the record: {detail}");

    /// <summary>A CSV record with more or fewer columns than its header.</summary>
    public static DynamoException CsvColumnCountMismatch(int headerColumns, int recordColumns) =>
        Validation($"The CSV record has {recordColumns} columns but the header has {headerColumns}");

    /// <summary>A CSV header that names an attribute twice: the file cannot form items, so the rest of it is skipped.</summary>
    public static DynamoException CsvDuplicateHeader(string name) =>
        Validation($"The CSV header names the attribute {name} more than once; the rest of the file is skipped");

    /// <summary>A binary key attribute whose CSV value is not base64.</summary>
    public static DynamoException CsvKeyNotBase64(string key) =>
        Validation($"The value of the binary key attribute {key} is not base64");

    /// <summary>An input object that stops making sense part way (corrupt GZIP or ZSTD data): the rest of it is skipped.</summary>
    public static DynamoException ImportObjectUnreadable(string detail) =>
        Validation($"The object could not be read to its end, the rest of it is skipped: {detail}");
}

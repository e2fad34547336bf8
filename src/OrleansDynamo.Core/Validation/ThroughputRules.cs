using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

public static class ThroughputRules
{
    public static void CheckBounds(ProvisionedThroughput throughput)
    {
        if (throughput.ReadCapacityUnits > CreateTableValidator.MaxCapacityUnits)
            throw DynamoErrors.CapacityOutOfBounds(throughput.ReadCapacityUnits, "ReadCapacityUnits");
        if (throughput.WriteCapacityUnits > CreateTableValidator.MaxCapacityUnits)
            throw DynamoErrors.CapacityOutOfBounds(throughput.WriteCapacityUnits, "WriteCapacityUnits");
    }
}

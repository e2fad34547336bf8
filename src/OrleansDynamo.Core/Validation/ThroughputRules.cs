using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

public static class ThroughputRules
{
    public static void CheckBounds(ProvisionedThroughput throughput)
    {
        if (throughput.ReadCapacityUnits > CreateTableValidator.MaxCapacityUnits)
            throw DynamoErrors.Validation($"Given value {throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds");
        if (throughput.WriteCapacityUnits > CreateTableValidator.MaxCapacityUnits)
            throw DynamoErrors.Validation($"Given value {throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds");
    }
}

using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

public sealed partial class DynamoDbClient
{
    public async Task<UpdateTimeToLiveResponse> UpdateTimeToLiveAsync(UpdateTimeToLiveRequest request, CancellationToken cancellationToken = default)
    {
        UpdateTimeToLiveValidator.Validate(request);
        var specification = await Table(request.TableName!).UpdateTimeToLive(request.TimeToLiveSpecification!);
        _router.Forget(request.TableName!);
        return new UpdateTimeToLiveResponse { TimeToLiveSpecification = specification };
    }

    public async Task<DescribeTimeToLiveResponse> DescribeTimeToLiveAsync(DescribeTimeToLiveRequest request, CancellationToken cancellationToken = default)
    {
        TableNameValidator.Validate(request);
        return new DescribeTimeToLiveResponse { TimeToLiveDescription = await Table(request.TableName!).DescribeTimeToLive() };
    }
}

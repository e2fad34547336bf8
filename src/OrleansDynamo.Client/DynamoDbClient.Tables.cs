using OrleansDynamo.Grains;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

public sealed partial class DynamoDbClient
{
    public async Task<CreateTableResponse> CreateTableAsync(CreateTableRequest request, CancellationToken cancellationToken = default)
    {
        CreateTableValidator.Validate(request);
        var description = await Table(request.TableName!).Create(request);
        _router.Forget(request.TableName!);
        return new CreateTableResponse { TableDescription = description };
    }

    public async Task<DescribeTableResponse> DescribeTableAsync(DescribeTableRequest request, CancellationToken cancellationToken = default)
    {
        TableNameValidator.Validate(request);
        return new DescribeTableResponse { Table = await Table(request.TableName!).Describe() };
    }

    public async Task<ListTablesResponse> ListTablesAsync(ListTablesRequest request, CancellationToken cancellationToken = default)
    {
        ListTablesValidator.Validate(request);
        return await grains.GetGrain<ICatalogGrain>(0).List(request.ExclusiveStartTableName, request.Limit ?? ListTablesValidator.MaxLimit);
    }

    public async Task<DeleteTableResponse> DeleteTableAsync(DeleteTableRequest request, CancellationToken cancellationToken = default)
    {
        TableNameValidator.Validate(request);
        var description = await Table(request.TableName!).Delete();
        _router.Forget(request.TableName!);
        return new DeleteTableResponse { TableDescription = description };
    }

    public async Task<UpdateTableResponse> UpdateTableAsync(UpdateTableRequest request, CancellationToken cancellationToken = default)
    {
        UpdateTableValidator.Validate(request);
        var description = await Table(request.TableName!).Update(request);
        _router.Forget(request.TableName!); // The table's indexes may have changed.
        return new UpdateTableResponse { TableDescription = description };
    }

    private ITableGrain Table(string tableName) => grains.GetGrain<ITableGrain>(TableArns.NameOf(tableName));
}

var builder = DistributedApplication.CreateBuilder(args);

// The OrleansDynamo server, built from this repository (outside it: builder.AddOrleansDynamo("db") runs the
// orleansdynamo .NET tool). In memory unless told otherwise:
//   dotnet run --project samples/AspireAppHost -- --Storage disk                     the embedded store, kept between runs
//   dotnet run --project samples/AspireAppHost -- --Storage postgres --Silos 3 \
//       --ConnectionStrings:odyn "Host=localhost;Database=odyn;Username=..."         three silos on a PostgreSQL server of yours
//   dotnet run --project samples/AspireAppHost -- --Storage postgres-container       the same in a PostgreSQL container (Docker or Podman)
//   add --Auth sigv4 to any of them                                                   signed requests only, with a generated key
var db = builder.AddOrleansDynamo<Projects.OrleansDynamo_Server>("db");
switch (builder.Configuration["Storage"])
{
    case "disk":
        db.WithDataDirectory();
        break;
    case "postgres":
        db.WithPostgres(builder.AddConnectionString("odyn")).WithReplicas(int.Parse(builder.Configuration["Silos"] ?? "3", System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "postgres-container":
        db.WithPostgres(builder.AddPostgres("pg").AddDatabase("odyn")).WithReplicas(3);
        break;
}
if (builder.Configuration["Auth"] == "sigv4")
    db.WithCredentials(builder.AddParameter("db-access-key-id", "aspire"),
        builder.AddParameter("db-secret-access-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true));

// A web API that reads and writes a table through the AWS SDK (AddOrleansDynamoClient("db") there).
builder.AddProject<Projects.AspireApiService>("api")
    .WithHttpEndpoint()
    .WithReference(db)
    .WaitFor(db);

builder.Build().Run();

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OneThing.Hub.Persistence;

/// <summary>
/// The hub's database on PostgreSQL: a real server shared by several hub replicas, and the stand-in
/// for the PostgreSQL-compatible databases of government deployments.
/// </summary>
public sealed class PostgresHubDbContext(DbContextOptions<PostgresHubDbContext> options) : HubDbContext(options)
{
    /// <summary>Configures the PostgreSQL options the hub relies on.</summary>
    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        // No retrying execution strategy: a retried SaveChanges could not tell a lost commit from a
        // failed one, and the use cases already answer a repeated request id with the first result.
        builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations"));
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model at design time (no server is contacted).</summary>
internal sealed class PostgresHubDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresHubDbContext>
{
    public PostgresHubDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresHubDbContext>();
        PostgresHubDbContext.Configure(builder, "Host=localhost;Database=onething;Username=onething;Password=design-time");
        builder.UsePersonalDataModelOnly();
        return new PostgresHubDbContext(builder.Options);
    }
}

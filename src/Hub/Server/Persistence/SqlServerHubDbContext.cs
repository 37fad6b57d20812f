using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OneThing.Hub.Domain.Applications;

namespace OneThing.Hub.Persistence;

/// <summary>The hub's database on SQL Server: the production target.</summary>
public sealed class SqlServerHubDbContext(DbContextOptions<SqlServerHubDbContext> options) : HubDbContext(options)
{
    /// <summary>
    /// A binary collation for identifiers the callers choose: SQL Server's usual default collation is
    /// case-insensitive, which would let request ids "Ab" and "aB" collide in the unique index and
    /// hand one caller another caller's application. SQLite and PostgreSQL compare them exactly already.
    /// </summary>
    internal const string ExactCollation = "Latin1_General_100_BIN2";

    /// <summary>Configures the SQL Server options the hub relies on.</summary>
    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        // No retrying execution strategy, for the same reason as on PostgreSQL: a repeated request
        // id already returns the first result, and a blind retry of a commit could double it.
        builder.UseSqlServer(connectionString, o => o.MigrationsHistoryTable("__ef_migrations"));

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<JointApplication>(a =>
        {
            a.Property(x => x.CreateRequestId).UseCollation(ExactCollation);
            a.Property(x => x.SubmitRequestId).UseCollation(ExactCollation);

            // SQL Server lets a unique index hold one NULL only; drafts without a create request id
            // and every unsubmitted draft have NULL here, so the uniqueness applies to set values.
            a.HasIndex(x => x.CreateRequestId).IsUnique().HasFilter("[CreateRequestId] IS NOT NULL");
            a.HasIndex(x => x.SubmitRequestId).IsUnique().HasFilter("[SubmitRequestId] IS NOT NULL");
        });

        // Departments' case numbers and the hub's keys are compared exactly, as on the other providers.
        modelBuilder.Entity<DepartmentCallback>(c =>
        {
            c.Property(x => x.CaseNumber).UseCollation(ExactCollation);
            c.Property(x => x.IdempotencyKey).UseCollation(ExactCollation);
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server model at design time (no server is contacted).</summary>
internal sealed class SqlServerHubDbContextDesignFactory : IDesignTimeDbContextFactory<SqlServerHubDbContext>
{
    public SqlServerHubDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqlServerHubDbContext>();
        SqlServerHubDbContext.Configure(builder, "Server=localhost;Database=onething;User Id=onething;Password=design-time;TrustServerCertificate=True");
        builder.UsePersonalDataModelOnly();
        return new SqlServerHubDbContext(builder.Options);
    }
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OneThing.Hub.Persistence;

/// <summary>The hub's database on SQLite: the embedded default, one file, zero set-up.</summary>
public sealed class SqliteHubDbContext(DbContextOptions<SqliteHubDbContext> options) : HubDbContext(options)
{
    /// <summary>Configures SQLite options the hub relies on.</summary>
    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__ef_migrations"))
            .AddInterceptors(DurableSqliteConnection.Instance, SqliteWriteGate.Instance);
}

/// <summary>
/// Sets every SQLite connection up for durability: WAL lets readers and the writer proceed together,
/// and <c>synchronous=FULL</c> fsyncs each commit, since NORMAL can lose the last commits on a
/// power loss, and accepted work must survive. <c>synchronous</c> is per connection, so it is set on
/// every open.
/// </summary>
internal sealed class DurableSqliteConnection : DbConnectionInterceptor
{
    public static readonly DurableSqliteConnection Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // Pooled connections keep their settings: set them once per SQLite handle, not on every open
    // (EF opens and closes the connection around each query).
    private static readonly ConditionalWeakTable<object, object> Prepared = [];

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            if (Prepared.TryGetValue(handle, out _))
            {
                return;
            }
        }

        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        command.ExecuteNonQuery();
        if (connection is SqliteConnection { Handle: { } prepared })
        {
            Prepared.AddOrUpdate(prepared, prepared);
        }
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model at design time.</summary>
internal sealed class SqliteHubDbContextDesignFactory : IDesignTimeDbContextFactory<SqliteHubDbContext>
{
    public SqliteHubDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteHubDbContext>();
        SqliteHubDbContext.Configure(builder, "Data Source=design-time.db");
        builder.UsePersonalDataModelOnly();
        return new SqliteHubDbContext(builder.Options);
    }
}

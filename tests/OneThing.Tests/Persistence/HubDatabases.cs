using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using OneThing.Hub.Persistence;

namespace OneThing.Tests.Persistence;

/// <summary>
/// A fresh, migrated hub database for one test class, on one provider; dropped afterwards. The
/// persistence suite runs against each.
/// </summary>
public abstract class HubDatabase : IAsyncLifetime
{
    /// <summary>The <c>Database:Provider</c> value of this provider.</summary>
    public abstract string Provider { get; }

    /// <summary>The connection string of this fixture's database.</summary>
    public string ConnectionString { get; protected set; } = string.Empty;

    /// <summary>False when the provider's server is not configured; the tests then skip with <see cref="SkipReason"/>.</summary>
    public virtual bool Available => true;

    /// <summary>Why the tests were skipped, and how to run them.</summary>
    public virtual string SkipReason => string.Empty;

    /// <summary>A new context on this fixture's database.</summary>
    public abstract HubDbContext NewContext(params IInterceptor[] interceptors);

    /// <summary>True when the failure is the database's unique-key violation (not any other error).</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    /// <inheritdoc />
    public abstract ValueTask InitializeAsync();

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Applies the provider's migrations, as the hub does at start.</summary>
    protected async Task MigrateAsync()
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>A SQLite file in a temporary folder, set up as the hub sets it up (WAL, synchronous=FULL).</summary>
public sealed class SqliteHubDatabase : HubDatabase
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "onething-tests", Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public override string Provider => "sqlite";

    /// <inheritdoc />
    public override HubDbContext NewContext(params IInterceptor[] interceptors)
    {
        var builder = new DbContextOptionsBuilder<SqliteHubDbContext>();
        SqliteHubDbContext.Configure(builder, ConnectionString);
        builder.UsePersonalData(OneThing.Tests.Security.PersonalDataTestKeys.Protector);
        builder.AddInterceptors(interceptors);
        return new SqliteHubDbContext(builder.Options);
    }

    /// <inheritdoc />
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 }; // SQLITE_CONSTRAINT_UNIQUE

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        ConnectionString = $"Data Source={Path.Combine(_directory, "hub.db")}";
        await MigrateAsync();
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A database of its own on the real PostgreSQL server named by <c>ONETHING_TEST_POSTGRES</c> (an
/// admin connection string), created fresh, migrated, and dropped afterwards. Without the variable
/// the tests are skipped, saying how to run them; with it, a server that cannot be reached fails them.
/// </summary>
public sealed class PostgresHubDatabase : HubDatabase
{
    /// <summary>The environment variable with the admin connection string.</summary>
    public const string Variable = "ONETHING_TEST_POSTGRES";

    private readonly string? _admin = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : null;
    private readonly List<string> _databases = [];

    /// <inheritdoc />
    public override string Provider => "postgres";

    /// <inheritdoc />
    public override bool Available => _admin is not null;

    /// <inheritdoc />
    public override string SkipReason =>
        $"PostgreSQL tests need a real server: set {Variable} to a connection string of a role that may create databases, e.g. " +
        $"{Variable}='Host=127.0.0.1;Port=5432;Username=onething;Password=onething;Database=postgres' dotnet test --solution OneThing.sln " +
        "(.ci/run starts a throwaway server and sets it, so in CI these tests always run).";

    /// <inheritdoc />
    public override HubDbContext NewContext(params IInterceptor[] interceptors)
    {
        var builder = new DbContextOptionsBuilder<PostgresHubDbContext>();
        PostgresHubDbContext.Configure(builder, ConnectionString);
        builder.UsePersonalData(OneThing.Tests.Security.PersonalDataTestKeys.Protector);
        builder.AddInterceptors(interceptors);
        return new PostgresHubDbContext(builder.Options);
    }

    /// <inheritdoc />
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>Creates one more empty database on the server (dropped with the fixture) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"onething_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_admin))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(_admin) { Database = name }.ConnectionString;
    }

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        if (_admin is null)
        {
            return;
        }

        ConnectionString = await CreateDatabaseAsync();
        await MigrateAsync();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_admin is null || _databases.Count == 0)
        {
            return;
        }

        // Pooled connections (also the hub's) still hold the databases open; FORCE ends them.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

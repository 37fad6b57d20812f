using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Hosting;
using OneThing.Hub.Persistence;

namespace OneThing.Tests.Persistence;

/// <summary>
/// Every provider's migrations match the one model, and the hub picks the provider it is told to.
/// No server is needed: the contexts are built on connection strings that are never opened.
/// </summary>
public sealed class ProviderModelTests
{
    /// <summary>Provider name, migrations folder, a connection string that is never opened.</summary>
    private static readonly (string Provider, string Folder, string ConnectionString)[] All =
    [
        ("sqlite", "Sqlite", "Data Source=never-opened.db"),
        ("postgres", "Postgres", "Host=127.0.0.1;Port=1;Database=never_opened;Username=x;Password=x"),
        ("sqlserver", "SqlServer", "Server=127.0.0.1,1;Database=never_opened;User Id=x;Password=x;TrustServerCertificate=True"),
    ];

    private static readonly Dictionary<string, string> NeverOpened = All.ToDictionary(p => p.Provider, p => p.ConnectionString);

    /// <summary>Every provider, for the theories.</summary>
    public static TheoryData<string, string, string> Providers
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var (provider, folder, connectionString) in All)
            {
                data.Add(provider, folder, connectionString);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_EveryProvider_NoPendingModelChanges(string provider, string folder, string connectionString)
    {
        using var services = Services(provider, connectionString);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"the model has changed since the last {provider} migration: run `dotnet tool restore && dotnet ef migrations add <Name> " +
            $"--project src/Hub/Server --context {db.GetType().Name} --output-dir Persistence/Migrations/{folder}` (and the same for every provider)");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_EveryProvider_MigrationsAndSnapshotLiveInTheProvidersFolder(string provider, string folder, string connectionString)
    {
        using var services = Services(provider, connectionString);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var migrations = db.GetService<IMigrationsAssembly>();
        var expected = $"OneThing.Hub.Persistence.Migrations.{folder}";

        Assert.Equal(expected, migrations.ModelSnapshot?.GetType().Namespace);
        Assert.All(migrations.Migrations.Values, m => Assert.Equal(expected, m.Namespace));
    }

    [Theory]
    [InlineData("sqlite", typeof(SqliteHubDbContext))]
    [InlineData("postgres", typeof(PostgresHubDbContext))]
    [InlineData("sqlserver", typeof(SqlServerHubDbContext))]
    [InlineData(" PostgreS ", typeof(PostgresHubDbContext))]
    public void AddHubDatabase_Provider_ResolvesItsSubclass(string provider, Type expected)
    {
        using var services = Services(provider, NeverOpened[provider.Trim().ToLowerInvariant()]);
        using var scope = services.CreateScope();

        Assert.IsType(expected, scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    [Fact]
    public void AddHubDatabase_UnknownProvider_ErrorNamesTheSupportedOnes()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Services("mysql", "Server=x"));

        Assert.Contains("'mysql'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'sqlite'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'postgres'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'sqlserver'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlserver")]
    public void AddHubDatabase_ServerProviderWithoutConnectionString_ErrorAsksForIt(string provider)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Services(provider, connectionString: null));

        Assert.Contains("Database:ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqlServerMigrations_Script_FiltersNullableUniqueIndexesAndComparesRequestIdsExactly()
    {
        using var services = Services("sqlserver", NeverOpened["sqlserver"]);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CREATE TABLE [applications]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [application_items]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [dispatch_tasks]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_applications_CreateRequestId] ON [applications] ([CreateRequestId]) WHERE [CreateRequestId] IS NOT NULL;", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_applications_SubmitRequestId] ON [applications] ([SubmitRequestId]) WHERE [SubmitRequestId] IS NOT NULL;", script, StringComparison.Ordinal);
        Assert.Contains("[CreateRequestId] nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL", script, StringComparison.Ordinal);
        Assert.Contains("[SubmitRequestId] nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL", script, StringComparison.Ordinal);
        Assert.Contains("[Id] bigint NOT NULL IDENTITY", script, StringComparison.Ordinal);
        Assert.Contains("[__ef_migrations]", script, StringComparison.Ordinal);

        // An idempotent script (what a DBA applies to production) is generated as well.
        var idempotent = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("IF NOT EXISTS", idempotent, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherProviders_UniqueRequestIdIndexes_NeedNoFilter()
    {
        // PostgreSQL and SQLite let a unique index hold many NULLs already, and would reject SQL
        // Server's bracketed filter: it belongs in SqlServerHubDbContext only.
        foreach (var provider in new[] { "sqlite", "postgres" })
        {
            using var services = Services(provider, NeverOpened[provider]);
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var application = db.Model.FindEntityType(typeof(OneThing.Hub.Domain.Applications.JointApplication))!;
            Assert.All(application.GetIndexes().Where(i => i.IsUnique), i => Assert.Null(i.GetFilter()));
        }
    }

    private static ServiceProvider Services(string provider, string? connectionString)
    {
        var settings = new Dictionary<string, string?> { ["Database:Provider"] = provider };
        if (connectionString is not null)
        {
            settings["Database:ConnectionString"] = connectionString;
        }

        // SQLite's default path would create data/ beside the tests; every case here names its file.
        return new ServiceCollection()
            .AddSingleton(OneThing.Tests.Security.PersonalDataTestKeys.Protector)
            .AddHubDatabase(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
    }
}

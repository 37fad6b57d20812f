using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Persistence;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Persistence;

/// <summary>
/// The whole hub on PostgreSQL: it migrates an empty database at start and runs the Luoyang flow
/// with the five simulators. Skipped with instructions without <c>ONETHING_TEST_POSTGRES</c>.
/// </summary>
public sealed class PostgresHubTests(PostgresHubDatabase database) : IClassFixture<PostgresHubDatabase>
{
    [Fact]
    public async Task Hub_OnAnEmptyPostgresDatabase_MigratesAndCompletesTheLuoyangFlow()
    {
        Assert.SkipUnless(database.Available, database.SkipReason);
        // A database of its own: the hub's dispatch worker must not meet the suite's test tasks.
        var connectionString = await database.CreateDatabaseAsync().Within();
        await using var sandbox = await HubSandbox.StartAsync(new()
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = connectionString,
        }).Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;

        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, sandbox.Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        Assert.All(done.Items, item => Assert.Equal(ItemState.Succeeded, item.State));
        Assert.All(sandbox.Simulators.All, d => Assert.Equal((0, 0), (d.ReplayCount, d.DuplicateCount)));
        await using var scope = sandbox.HubServices.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.IsType<PostgresHubDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken).Within());
        var id = submitted.Name["applications/".Length..];
        var tasks = await db.DispatchTasks.AsNoTracking().Where(t => t.ApplicationId == id).ToListAsync(TestContext.Current.CancellationToken).Within();
        Assert.NotEmpty(tasks);
        Assert.All(tasks, t => Assert.Equal(DispatchTaskState.Done, t.State));
    }
}

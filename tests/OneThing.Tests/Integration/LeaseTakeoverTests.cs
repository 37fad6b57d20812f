using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Adapters;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>A worker that dies mid-call loses its lease; the retry creates no second case.</summary>
public sealed class LeaseTakeoverTests
{
    private const string Pension = "si.flexible-pension-registration";

    [Fact]
    public async Task Dispatch_WorkerDiedAfterDepartmentReceivedCall_LeaseExpiresAndRetryCreatesNoSecondCase()
    {
        await using var sandbox = await HubSandbox.StartAsync(new()
        {
            ["Dispatch:LeaseDuration"] = "00:00:03",
            ["Dispatch:AdapterCallTimeout"] = "00:00:02",
        }).Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        sandbox.Simulators.SocialInsurance.Faults.Outage = true;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, DateOnly.FromDateTime(DateTime.Now)));
        await sandbox.WaitUntilAsync(submitted.Name, a => a.Items.Single(i => i.ItemCode == Pension).Attempts >= 1);
        await sandbox.StopHubAsync().Within();

        // Another replica claimed the task and its call reached the department; then it died
        // before it could record the answer. Its lease is still running.
        string submissionId;
        await using (var connection = new SqliteConnection($"Data Source={sandbox.DatabaseFile}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken).Within();
            var id = submitted.Name["applications/".Length..];
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT SubmissionId FROM application_items WHERE ApplicationId = $a AND ItemCode = $i";
            read.Parameters.AddWithValue("$a", id);
            read.Parameters.AddWithValue("$i", Pension);
            submissionId = (string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken).Within())!;
            await using var lease = connection.CreateCommand();
            lease.CommandText = "UPDATE dispatch_tasks SET LeaseOwner = 'dead-replica', LeaseExpiresAt = $e, DueAt = $d WHERE ApplicationId = $a AND ItemCode = $i AND State = 'Scheduled'";
            lease.Parameters.AddWithValue("$e", DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds());
            lease.Parameters.AddWithValue("$d", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            lease.Parameters.AddWithValue("$a", id);
            lease.Parameters.AddWithValue("$i", Pension);
            Assert.Equal(1, await lease.ExecuteNonQueryAsync(TestContext.Current.CancellationToken).Within());
        }

        SqliteConnection.ClearAllPools();
        sandbox.Simulators.SocialInsurance.Faults.Outage = false;
        await sandbox.StartHubAsync().Within();
        var adapter = sandbox.HubServices.GetServices<IDepartmentAdapter>().Single(a => a.Department == Department.SocialInsurance);
        var deadReplicasCall = await adapter.SubmitAsync(
            new ItemSubmission(
                submissionId, "x", Pension, "luoyang.personal-startup", "dead-replica-call",
                new Applicant(person.Name, person.Sex, person.Ethnicity, "resident-id", person.IdNumber, person.Mobile, person.ResidenceDivisionCode, person.ResidenceAddress),
                new Dictionary<string, string> { ["pension.contribution_base"] = "4500.00" },
                new Dictionary<string, IReadOnlyDictionary<string, string>>()),
            TestContext.Current.CancellationToken).Within();
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.CaseCount);

        var done = await sandbox.WaitForCompletionAsync(submitted.Name);

        var pension = done.Items.Single(i => i.ItemCode == Pension);
        Assert.Equal(ItemState.Succeeded, pension.State);
        Assert.Equal(deadReplicasCall.CaseNumber, pension.CaseNumber);
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.CaseCount);
        Assert.Equal(1, sandbox.Simulators.SocialInsurance.ReplayCount); // the takeover replayed the same key
        Assert.Equal(0, sandbox.Simulators.SocialInsurance.DuplicateCount); // and filed nothing twice
        Assert.Equal(2, sandbox.Simulators.SocialInsurance.CountFor(submissionId));
    }
}

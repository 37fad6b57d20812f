using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using LookupState = OneThing.Hub.V1.SharedMaterial.Types.LookupState;

namespace OneThing.Tests.Integration;

/// <summary>
/// Shared data instead of uploads (数据共享免提交): the form arrives prefilled from what the market
/// regulation registry holds, each value marked with its source; when the registry has nothing, the
/// licence becomes a required upload, told at once.
/// </summary>
public sealed class SharedDataTests
{
    private const string Theme = "themes/shaoguan.personal-startup";
    private const string Grant = "hr.startup-grant";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task Prefill_BusinessOnRecord_FormPrefilledWithSourcesAndNoLicenceUpload()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.ShaoguanReady;
        var licence = person.Licence!;

        var prefill = await sandbox.Applications.PrefillApplicationAsync(Request(sandbox, person), Bounded.Options).Within();

        Assert.Equal(licence.Uscc, prefill.Application.Fields["unit.uscc"]);
        Assert.Equal(licence.EntityName, prefill.Application.Fields["unit.name"]);
        Assert.Equal(licence.RegistrationDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), prefill.Application.Fields["unit.registration_date"]);
        Assert.Equal(["fields[unit.name]", "fields[unit.registration_date]", "fields[unit.uscc]"], prefill.Values.Select(v => v.Path).Order(StringComparer.Ordinal));
        Assert.All(prefill.Values, v => Assert.Equal(("market-regulation", "licence-by-holder"), (v.Department, v.Source)));
        var material = Assert.Single(prefill.Materials);
        Assert.Equal(("business-licence", LookupState.Found, false), (material.Code, material.State, material.UploadRequired));
        Assert.Contains("无需上传", material.Message, StringComparison.Ordinal);

        // The registry was asked by the applicant's ID number, and nothing was created there.
        var asked = Assert.Single(sandbox.Simulators.MarketRegulation.Received, r => r.Operation == "findLicencesByHolder");
        Assert.Contains(person.IdNumber, asked.Summary, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Simulators.MarketRegulation.CaseCount);
    }

    [Fact]
    public async Task Prefill_NothingOnRecord_LicenceBecomesRequiredUploadToldAtOnce()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.NoLicence;

        var prefill = await sandbox.Applications.PrefillApplicationAsync(Request(sandbox, person), Bounded.Options).Within();

        Assert.Empty(prefill.Values);
        Assert.DoesNotContain("unit.uscc", prefill.Application.Fields.Keys);
        var material = Assert.Single(prefill.Materials);
        Assert.Equal(("business-licence", LookupState.NotFound, true), (material.Code, material.State, material.UploadRequired));
        Assert.Equal("未能查询到法人信息，请上传营业执照或社会组织登记证书", material.Message);
    }

    [Fact]
    public async Task Prefill_RegistryDown_UnavailableAndNoUploadDemanded_BadIdRefused()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.ShaoguanReady;
        sandbox.Simulators.MarketRegulation.Faults.Outage = true;

        var prefill = await sandbox.Applications.PrefillApplicationAsync(Request(sandbox, person), Bounded.Options).Within();

        Assert.Empty(prefill.Values);
        var material = Assert.Single(prefill.Materials);
        Assert.Equal((LookupState.Unavailable, false), (material.State, material.UploadRequired));

        var bad = Request(sandbox, person);
        bad.Applicant.IdDocument.Number = person.IdNumber[..17] + (person.IdNumber[17] == '1' ? "2" : "1");
        bad.Theme = "themes/no-such-theme";
        var refused = await RichErrors.FailureOf(() => sandbox.Applications.PrefillApplicationAsync(bad, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Contains(refused.Violations, v => v.Field == "theme");
        Assert.Contains(refused.Violations, v => v.Field.StartsWith("applicant.id_document", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_NothingOnRecordAndNoLicenceAttached_RefusedWithTheRequiredUploadAmongEveryProblem()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var onRecord = sandbox.Simulators.Population.Scenarios.ShaoguanReady;
        var nobody = sandbox.Simulators.Population.Scenarios.NoLicence;

        // The same form, under the name and ID of a person the registry knows nothing of, with a bad mobile too.
        var application = SampleApplications.Shaoguan(onRecord, Today);
        application.Applicant.Name = nobody.Name;
        application.Applicant.IdDocument.Number = nobody.IdNumber;
        application.Applicant.Mobile = "12345";
        var refused = await RichErrors.FailureOf(() => sandbox.Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = application, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        var licence = Assert.Single(refused.Violations, v => v.Field == "materials[business-licence]");
        Assert.Equal("MATERIAL_REQUIRED", licence.Reason);
        Assert.Contains("未能查询到法人信息", licence.Description, StringComparison.Ordinal);
        Assert.Contains(refused.Violations, v => v.Field == "applicant.mobile");

        // The person the registry knows submits the same form without any upload.
        var accepted = await sandbox.SubmitAsync(SampleApplications.Shaoguan(onRecord, Today));
        Assert.Equal(Application.Types.State.InProgress, accepted.State);
    }

    private static PrefillApplicationRequest Request(HubSandbox sandbox, OneThing.Simulators.SimulatedPerson person)
    {
        var sample = SampleApplications.Shaoguan(sandbox.Simulators.Population.Scenarios.ShaoguanReady, Today);
        var applicant = sample.Applicant.Clone();
        applicant.Name = person.Name;
        applicant.IdDocument.Number = person.IdNumber;
        applicant.Mobile = person.Mobile;
        var request = new PrefillApplicationRequest { Theme = Theme, Applicant = applicant };
        request.SelectedItems.Add(Grant);
        return request;
    }
}

using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Integration;

/// <summary>Bad input gets one INVALID_ARGUMENT that lists every problem, and nothing is stored.</summary>
public sealed class ValidationTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task Submit_EmptyApplication_InvalidArgumentListsEveryMissingPart()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var (code, info, violations) = await RichErrors.FailureOf(() => sandbox.SubmitAsync(new Application { Theme = SampleApplications.LuoyangTheme }));

        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Equal("APPLICATION_INVALID", info.Reason);
        Assert.Equal("onething.gov.cn", info.Domain);
        var fields = violations.Select(v => v.Field).ToHashSet();
        foreach (var expected in new[]
                 {
                     "selected_items", "applicant.name", "applicant.sex", "applicant.id_document.type",
                     "applicant.id_document.number", "applicant.mobile", "applicant.residence",
                     "delivery.method", "pledge.accepted",
                 })
        {
            Assert.Contains(expected, fields);
        }

        Assert.All(violations, v =>
        {
            Assert.False(string.IsNullOrEmpty(v.Reason));
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", v.Description);
        });
        await AssertNothingStoredAsync(sandbox);
    }

    [Fact]
    public async Task Submit_MalformedApplication_EveryProblemAtOnceIncludingIdCheckDigit()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var application = SampleApplications.Luoyang(person, Today);
        var id = person.IdNumber;
        var wrongCheck = id[..17] + (id[17] == '0' ? '1' : '0');
        application.Applicant.IdDocument.Number = wrongCheck;
        application.Applicant.Mobile = "12345";
        application.Fields["licence.uscc"] = person.LicenceUscc[..17] + (person.LicenceUscc[17] == '0' ? '1' : '0');
        application.Fields["pension.contribution_base"] = "100.00";
        application.Fields["subsidy.category"] = "astronaut";
        application.Fields["no.such.field"] = "x";
        application.SelectedItems.Remove("market.licence-verification");
        application.SelectedItems.Add("no.such-item");
        application.Pledge.Accepted = false;

        var (code, _, violations) = await RichErrors.FailureOf(() => sandbox.SubmitAsync(application));

        Assert.Equal(StatusCode.InvalidArgument, code);
        var byField = violations.ToLookup(v => v.Field);
        Assert.Equal("INVALID_RESIDENT_ID", Assert.Single(byField["applicant.id_document.number"]).Reason);
        Assert.Contains("校验位", byField["applicant.id_document.number"].Single().Description, StringComparison.Ordinal);
        Assert.Equal("INVALID_MOBILE", Assert.Single(byField["applicant.mobile"]).Reason);
        Assert.Equal("INVALID_USCC", Assert.Single(byField["fields[licence.uscc]"]).Reason);
        Assert.Equal("AMOUNT_OUT_OF_RANGE", Assert.Single(byField["fields[pension.contribution_base]"]).Reason);
        Assert.Equal("INVALID_CHOICE", Assert.Single(byField["fields[subsidy.category]"]).Reason);
        Assert.Equal("UNKNOWN_FIELD", Assert.Single(byField["fields[no.such.field]"]).Reason);
        Assert.Contains(violations, v => v.Reason == "UNKNOWN_ITEM");
        Assert.Contains(violations, v => v.Reason == "PREREQUISITE_NOT_SELECTED");
        Assert.Equal("PLEDGE_NOT_ACCEPTED", Assert.Single(byField["pledge.accepted"]).Reason);
        await AssertNothingStoredAsync(sandbox);
    }

    [Fact]
    public async Task Submit_UnknownThemeOrMissingRequestId_InvalidArgumentNamesTheField()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var unknown = await RichErrors.FailureOf(() => sandbox.SubmitAsync(new Application { Theme = "themes/nowhere.nothing" }));
        Assert.Contains(unknown.Violations, v => v.Field == "theme" && v.Reason == "UNKNOWN_THEME");
        Assert.Contains(unknown.Violations, v => v.Field == "applicant.name");

        var application = SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today);
        var noRequestId = await RichErrors.FailureOf(() => sandbox.Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = application }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, noRequestId.Code);
        Assert.Equal("request_id", Assert.Single(noRequestId.Violations).Field);
        await AssertNothingStoredAsync(sandbox);
    }

    [Fact]
    public async Task GetApplication_UnknownOrMalformedName_NotFoundOrInvalidArgument()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var missing = await RichErrors.FailureOf(() => sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = "applications/0123456789abcdef0123456789abcdef" }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.Code);
        Assert.Equal("APPLICATION_NOT_FOUND", missing.Info.Reason);

        var malformed = await RichErrors.FailureOf(() => sandbox.Applications.GetApplicationAsync(new GetApplicationRequest { Name = "apps/1" }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, malformed.Code);
        Assert.Equal("name", Assert.Single(malformed.Violations).Field);
    }

    private static async Task AssertNothingStoredAsync(HubSandbox sandbox)
    {
        var list = await sandbox.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).Within();
        Assert.Empty(list.Applications);
        Assert.All(sandbox.Simulators.All, d => Assert.Empty(d.Received));
    }
}

using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;
using ItemState = OneThing.Hub.V1.ApplicationItem.Types.State;

namespace OneThing.Tests.Integration;

/// <summary>Drafts, validation of drafts, listing with pages, the catalog.</summary>
public sealed class DraftAndQueryTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task Draft_CreateUpdateValidateSubmit_CompletesAndCannotBeEditedAfterwards()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var client = sandbox.ClientsAs(sandbox.Identity.Applicant(person.IdNumber)).Applications;

        // A partial draft is accepted as a draft, but does not validate.
        var partial = new Application { Theme = SampleApplications.LuoyangTheme, Applicant = new Applicant { Name = person.Name } };
        var draft = await client.CreateApplicationAsync(new CreateApplicationRequest { Application = partial, RequestId = "draft-1" }, Bounded.Options).Within();
        Assert.Equal(Application.Types.State.Draft, draft.State);
        var sameDraft = await client.CreateApplicationAsync(new CreateApplicationRequest { Application = partial, RequestId = "draft-1" }, Bounded.Options).Within();
        Assert.Equal(draft.Name, sameDraft.Name);

        var invalid = await RichErrors.FailureOf(() => client.ValidateApplicationAsync(new ValidateApplicationRequest { Name = draft.Name }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.Code);
        Assert.Contains(invalid.Violations, v => v.Field == "applicant.mobile");

        // Completed and saved with the etag; a stale etag is refused.
        var full = SampleApplications.Luoyang(person, Today);
        full.Name = draft.Name;
        full.Etag = draft.Etag;
        var updated = await client.UpdateApplicationAsync(new UpdateApplicationRequest { Application = full }, Bounded.Options).Within();
        Assert.NotEqual(draft.Etag, updated.Etag);
        var stale = await RichErrors.FailureOf(() => client.UpdateApplicationAsync(new UpdateApplicationRequest { Application = full }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.Code);

        var plan = await client.ValidateApplicationAsync(new ValidateApplicationRequest { Name = draft.Name }, Bounded.Options).Within();
        Assert.Equal(SampleApplications.LuoyangItems.Count, plan.Items.Count);
        Assert.Equal("market.licence-verification", plan.Items[0].ItemCode);
        Assert.All(plan.Items, i => Assert.False(string.IsNullOrEmpty(i.DueDate)));
        Assert.Empty(sandbox.Simulators.All.SelectMany(d => d.Received));

        var submitted = await client.SubmitApplicationAsync(new SubmitApplicationRequest { Name = draft.Name, RequestId = "submit-1" }, Bounded.Options).Within();
        Assert.Equal(draft.Name, submitted.Name);
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        Assert.All(done.Items, i => Assert.Equal(ItemState.Succeeded, i.State));

        var edit = await RichErrors.FailureOf(() => client.UpdateApplicationAsync(new UpdateApplicationRequest { Application = new Application(full) { Etag = string.Empty } }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, edit.Code);
        Assert.Equal("NOT_A_DRAFT", edit.Info.Reason);
        var resubmit = await RichErrors.FailureOf(() => client.SubmitApplicationAsync(new SubmitApplicationRequest { Name = draft.Name, RequestId = "submit-2" }, Bounded.Options).ResponseAsync);
        Assert.Equal("ALREADY_SUBMITTED", resubmit.Info.Reason);
    }

    [Fact]
    public async Task ListApplications_PagesThroughEveryApplicationOnceNewestFirst()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var draft = await sandbox.Applications.CreateApplicationAsync(
                new CreateApplicationRequest { Application = new Application { Theme = SampleApplications.LuoyangTheme } },
                Bounded.Options).Within();
            created.Add(draft.Name);
        }

        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await sandbox.Applications.ListApplicationsAsync(new ListApplicationsRequest { PageSize = 2, PageToken = token }, Bounded.Options).Within();
            seen.AddRange(page.Applications.Select(a => a.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(created.AsEnumerable().Reverse(), seen);

        var drafts = await sandbox.Applications.ListApplicationsAsync(new ListApplicationsRequest { State = Application.Types.State.Completed }, Bounded.Options).Within();
        Assert.Empty(drafts.Applications);
        var bad = await RichErrors.FailureOf(() => sandbox.Applications.ListApplicationsAsync(new ListApplicationsRequest { PageToken = "not-a-token" }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.Code);
    }

    [Fact]
    public async Task Catalog_ListsLuoyangThemeWithItemsAndFields_UnknownThemeNotFound()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var themes = await sandbox.Catalog.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();
        var luoyang = Assert.Single(themes.Themes, t => t.Name == SampleApplications.LuoyangTheme);
        Assert.Equal("410300", luoyang.Region.Code);
        Assert.Equal(10, luoyang.TimeLimitWorkingDays);

        var theme = await sandbox.Catalog.GetThemeAsync(new GetThemeRequest { Name = SampleApplications.LuoyangTheme }, Bounded.Options).Within();
        Assert.Equal(SampleApplications.LuoyangItems, theme.Items.Select(i => i.Code));
        Assert.Contains(theme.Fields, f => f.Key == "licence.uscc" && f.Type == FieldType.Uscc);
        Assert.Equal(["market.licence-verification"], theme.Items.Single(i => i.Code == "tax.taxpayer-confirmation").Prerequisites);

        var missing = await RichErrors.FailureOf(() => sandbox.Catalog.GetThemeAsync(new GetThemeRequest { Name = "themes/none" }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.Code);
    }
}

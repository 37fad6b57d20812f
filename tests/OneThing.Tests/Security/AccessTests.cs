using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Simulators;
using OneThing.Tests.Support;

namespace OneThing.Tests.Security;

/// <summary>
/// Who may call what, through real gRPC with tokens of the sandbox's identity platform: applicants
/// see only their own applications, roles are checked per RPC (deny by default), and a refusal never
/// tells whether the application exists.
/// </summary>
public sealed class AccessTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task AnotherApplicant_CannotGetListWatchWithdrawOrRate_AndLearnsNothingAboutExistence()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var owner = sandbox.Simulators.Population.Scenarios.Ready;
        var other = sandbox.Simulators.Population.People.First(p => p.IdNumber != owner.IdNumber);
        var mine = sandbox.ClientsAs(sandbox.Identity.Applicant(owner.IdNumber, owner.Name));
        var theirs = sandbox.ClientsAs(sandbox.Identity.Applicant(other.IdNumber, other.Name));

        var submitted = await mine.Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = SampleApplications.Luoyang(owner, Today), RequestId = Guid.NewGuid().ToString() }, Bounded.Options).Within();
        var own = await mine.Applications.GetApplicationAsync(new GetApplicationRequest { Name = submitted.Name }, Bounded.Options).Within();
        Assert.Equal(owner.IdNumber, own.Applicant.IdDocument.Number);

        var get = await RichErrors.FailureOf(() => theirs.Applications.GetApplicationAsync(new GetApplicationRequest { Name = submitted.Name }, Bounded.Options).ResponseAsync);
        var missing = await RichErrors.FailureOf(() => theirs.Applications.GetApplicationAsync(new GetApplicationRequest { Name = "applications/" + new string('0', 32) }, Bounded.Options).ResponseAsync);
        var withdraw = await RichErrors.FailureOf(() => theirs.Applications.WithdrawApplicationAsync(new WithdrawApplicationRequest { Name = submitted.Name, Reason = "不想办了" }, Bounded.Options).ResponseAsync);
        var rate = await RichErrors.FailureOf(() => theirs.Ratings.RateApplicationAsync(
            new RateApplicationRequest { Name = submitted.Name, Rating = new Rating { Overall = 1 }, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);
        var certificates = await RichErrors.FailureOf(() => theirs.Certificates.ListCertificatesAsync(new ListCertificatesRequest { Parent = submitted.Name }, Bounded.Options).ResponseAsync);
        foreach (var refused in new[] { get, missing, withdraw, rate, certificates })
        {
            Assert.Equal((StatusCode.PermissionDenied, "APPLICATION_NOT_ACCESSIBLE"), (refused.Code, refused.Info.Reason));
        }

        var watch = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = theirs.Applications.WatchApplication(new WatchApplicationRequest { Name = submitted.Name }, Bounded.Options);
            await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken).Within();
        });
        Assert.Equal(StatusCode.PermissionDenied, watch.StatusCode);

        var theirList = await theirs.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).Within();
        Assert.DoesNotContain(theirList.Applications, a => a.Name == submitted.Name);
        var ownList = await mine.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).Within();
        Assert.Equal([submitted.Name], ownList.Applications.Select(a => a.Name));

        // The owner's own application is untouched by the refused calls.
        var after = await mine.Applications.GetApplicationAsync(new GetApplicationRequest { Name = submitted.Name }, Bounded.Options).Within();
        Assert.DoesNotContain(after.Items, i => i.State == ApplicationItem.Types.State.Withdrawn);
    }

    [Fact]
    public async Task Applicant_FilesOnlyForThemself()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var other = sandbox.Simulators.Population.People.First(p => p.IdNumber != person.IdNumber);
        var clients = sandbox.ClientsAs(sandbox.Identity.Applicant(other.IdNumber));

        var refused = await RichErrors.FailureOf(() => clients.Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = SampleApplications.Luoyang(person, Today), RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "APPLICANT_MISMATCH"), (refused.Code, refused.Info.Reason));
        Assert.Empty(sandbox.Simulators.MarketRegulation.Received);
    }

    [Fact]
    public async Task MissingExpiredForeignOrWronglySignedTokens_AreRefusedAsUnauthenticated()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var request = new ListApplicationsRequest();
        using var stranger = new IdentityPlatformSimulator(TimeProvider.System);
        var expired = sandbox.Identity.Issue(TokenRole.Applicant, "citizen-x", new Dictionary<string, object> { ["id_number"] = person.IdNumber },
            lifetime: TimeSpan.FromMinutes(5), issuedAt: DateTimeOffset.UtcNow.AddHours(-1));
        var valid = sandbox.Identity.Applicant(person.IdNumber);
        var tampered = valid[..^4] + (valid[^4] == 'A' ? "BBBB" : "AAAA");

        var cases = new (string? Token, string Reason)[]
        {
            (null, "AUTHENTICATION_REQUIRED"),
            (expired, "TOKEN_EXPIRED"),
            (stranger.Applicant(person.IdNumber), "TOKEN_INVALID"),
            (tampered, "TOKEN_INVALID"),
            ("not-a-jwt", "TOKEN_INVALID"),
        };
        foreach (var (token, reason) in cases)
        {
            var refused = await RichErrors.FailureOf(() => sandbox.ClientsAs(token).Applications.ListApplicationsAsync(request, Bounded.Options).ResponseAsync);
            Assert.Equal((StatusCode.Unauthenticated, reason), (refused.Code, refused.Info.Reason));
        }

        // The published guide needs no login; a valid token is served.
        var themes = await sandbox.ClientsAs(null).Catalog.ListThemesAsync(new ListThemesRequest(), Bounded.Options).Within();
        Assert.NotEmpty(themes.Themes);
        await sandbox.ClientsAs(valid).Applications.ListApplicationsAsync(request, Bounded.Options).Within();
    }

    [Fact]
    public async Task Roles_AreCheckedPerRpc()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var applicant = sandbox.ClientsAs(sandbox.Identity.Applicant(person.IdNumber));
        var department = sandbox.ClientsAs(sandbox.Identity.Department("tax"));
        var op = sandbox.ClientsAs(sandbox.Identity.Operator("op-7"));

        var work = await RichErrors.FailureOf(() => applicant.Operators.ListWorkAsync(new ListWorkRequest(), Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED"), (work.Code, work.Info.Reason));
        var read = await RichErrors.FailureOf(() => department.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED"), (read.Code, read.Info.Reason));
        var file = await RichErrors.FailureOf(() => op.Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = SampleApplications.Luoyang(person, Today), RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED"), (file.Code, file.Info.Reason));

        // An operator acts under their own name only.
        var impersonate = await RichErrors.FailureOf(() => op.Operators.RetryItemAsync(
            new RetryItemRequest { Name = "applications/" + new string('0', 32) + "/items/tax.taxpayer-confirmation", OperatorId = "op-8", Reason = "重试" }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, impersonate.Code);
        await op.Operators.ListWorkAsync(new ListWorkRequest { Kind = WorkKind.Exhausted }, Bounded.Options).Within();
    }

    [Fact]
    public async Task EveryEndpoint_DeclaresWhoMayCallIt()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var endpoints = sandbox.HubServices.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0)
            .Select(e => e.DisplayName ?? e.RoutePattern.RawText)
            .ToList();

        // Anything that declares nothing falls to the fallback policy, which refuses everyone; the
        // unimplemented-method catch-alls of gRPC are the only such endpoints.
        Assert.All(undeclared, name => Assert.Contains("Unimplemented", name ?? string.Empty, StringComparison.OrdinalIgnoreCase));
        var policy = sandbox.HubServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        Assert.NotNull(policy);
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        var evaluator = sandbox.HubServices.GetRequiredService<IAuthorizationService>();
        Assert.False((await evaluator.AuthorizeAsync(anonymous, null, policy).Within()).Succeeded);
    }

    [Fact]
    public async Task Clerk_FilesWithAuthorisation_ApplicationIsTheApplicants()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var clerk = sandbox.ClientsAs(sandbox.Identity.Clerk("clerk-01", "luolong-centre"));
        var otherCentre = sandbox.ClientsAs(sandbox.Identity.Clerk("clerk-02", "xigong-centre"));
        var applicant = sandbox.ClientsAs(sandbox.Identity.Applicant(person.IdNumber));

        // Without the applicant's authorisation nothing is filed, and the clerk hears of it with every other problem.
        var unauthorised = SampleApplications.Luoyang(person, Today);
        unauthorised.Applicant.Mobile = "12";
        var refused = await RichErrors.FailureOf(() => clerk.Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = unauthorised, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Contains(refused.Violations, v => v.Field == "filing.authorization");
        Assert.Contains(refused.Violations, v => v.Field.StartsWith("applicant.mobile", StringComparison.Ordinal));

        var written = SampleApplications.Luoyang(person, Today);
        written.Filing = new Filing { Authorization = Filing.Types.Authorization.Written, AuthorizationReference = "WT-2026-0042", AgentName = "王代办" };
        var filed = await clerk.Applications.SubmitApplicationAsync(new SubmitApplicationRequest { Application = written, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).Within();
        Assert.Equal(("clerk-01", "luolong-centre", "WT-2026-0042"), (filed.Filing.Clerk, filed.Filing.ServiceCentre, filed.Filing.AuthorizationReference));

        var mine = await applicant.Applications.ListApplicationsAsync(new ListApplicationsRequest(), Bounded.Options).Within();
        var listed = Assert.Single(mine.Applications);
        Assert.Equal((filed.Name, "clerk-01"), (listed.Name, listed.Filing.Clerk));
        await clerk.Applications.GetApplicationAsync(new GetApplicationRequest { Name = filed.Name }, Bounded.Options).Within();
        var foreign = await RichErrors.FailureOf(() => otherCentre.Applications.GetApplicationAsync(new GetApplicationRequest { Name = filed.Name }, Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "APPLICATION_NOT_ACCESSIBLE"), (foreign.Code, foreign.Info.Reason));

        // An applicant cannot pretend a clerk filed for them.
        var pretend = SampleApplications.Luoyang(person, Today);
        pretend.Filing = new Filing { Authorization = Filing.Types.Authorization.InPerson };
        var pretended = await RichErrors.FailureOf(() => applicant.Applications.SubmitApplicationAsync(
            new SubmitApplicationRequest { Application = pretend, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, pretended.Code);
    }

    [Fact]
    public async Task MyDraftsAndMyCertificates_AreTheCallersOnly()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var other = sandbox.Simulators.Population.People.First(p => p.IdNumber != person.IdNumber);
        var me = sandbox.ClientsAs(sandbox.Identity.Applicant(person.IdNumber));
        var them = sandbox.ClientsAs(sandbox.Identity.Applicant(other.IdNumber));

        var draft = await me.Applications.CreateApplicationAsync(
            new CreateApplicationRequest { Application = SampleApplications.Luoyang(person, Today), RequestId = Guid.NewGuid().ToString() }, Bounded.Options).Within();
        var drafts = await me.Applications.ListApplicationsAsync(new ListApplicationsRequest { State = Application.Types.State.Draft }, Bounded.Options).Within();
        Assert.Equal([draft.Name], drafts.Applications.Select(a => a.Name));
        Assert.Empty((await them.Applications.ListApplicationsAsync(new ListApplicationsRequest { State = Application.Types.State.Draft }, Bounded.Options).Within()).Applications);

        var submitted = await me.Applications.SubmitApplicationAsync(new SubmitApplicationRequest { Name = draft.Name, RequestId = Guid.NewGuid().ToString() }, Bounded.Options).Within();
        await sandbox.WaitForCompletionAsync(submitted.Name);
        var mine = await me.Certificates.ListCertificatesAsync(new ListCertificatesRequest(), Bounded.Options).Within();
        var certificate = Assert.Single(mine.Certificates);
        Assert.StartsWith(submitted.Name + "/certificates/", certificate.Name, StringComparison.Ordinal);
        Assert.Empty((await them.Certificates.ListCertificatesAsync(new ListCertificatesRequest(), Bounded.Options).Within()).Certificates);
    }
}

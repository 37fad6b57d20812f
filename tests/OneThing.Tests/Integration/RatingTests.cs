using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Integration;

/// <summary>好差评: the applicant rates a completed application; a bad rating opens a follow-up that operators see and close.</summary>
public sealed class RatingTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task Rate_BadTaxScore_FollowUpOpenedListedAndResolved_RepeatSafe()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var ratings = new RatingService.RatingServiceClient(sandbox.Invoker);
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));

        // Not before every item is final.
        var early = NewRequest(submitted.Name, 5);
        var tooEarly = await RichErrors.FailureOf(() => ratings.RateApplicationAsync(early, Bounded.Options).ResponseAsync);
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        Assert.True(tooEarly.Code == StatusCode.FailedPrecondition || done.State == Application.Types.State.Completed);

        var request = NewRequest(submitted.Name, 4);
        request.Rating.Departments["tax"] = 1;
        request.Rating.Departments["market-regulation"] = 5;
        request.Rating.Comment = "税务确认等了很久";
        var rating = await ratings.RateApplicationAsync(request, Bounded.Options).Within();
        var again = await ratings.RateApplicationAsync(request, Bounded.Options).Within();
        var other = await RichErrors.FailureOf(() => ratings.RateApplicationAsync(NewRequest(submitted.Name, 5), Bounded.Options).ResponseAsync);

        Assert.Equal(4, rating.Overall);
        Assert.StartsWith("followUps/", rating.FollowUp, StringComparison.Ordinal);
        Assert.Equal(rating.FollowUp, again.FollowUp);
        Assert.Equal((StatusCode.FailedPrecondition, "ALREADY_RATED"), (other.Code, other.Info.Reason));
        Assert.Equal(rating, await ratings.GetRatingAsync(new GetRatingRequest { Name = submitted.Name + "/rating" }, Bounded.Options).Within());

        var open = await ratings.ListFollowUpsAsync(new ListFollowUpsRequest { State = FollowUp.Types.State.Open }, Bounded.Options).Within();
        var followUp = Assert.Single(open.FollowUps);
        Assert.Equal((rating.FollowUp, submitted.Name, "themes/luoyang.personal-startup"), (followUp.Name, followUp.Application, followUp.Theme));
        Assert.Equal(["tax"], followUp.Departments);
        Assert.Equal("税务确认等了很久", followUp.Comment);
        Assert.NotEmpty(followUp.DueDate);

        var resolved = await ratings.ResolveFollowUpAsync(new ResolveFollowUpRequest { Name = followUp.Name, OperatorId = "op-9", Resolution = "已与税务部门核实并优化确认流程" }, Bounded.Options).Within();
        Assert.Equal(FollowUp.Types.State.Resolved, resolved.State);
        Assert.Equal("op-9", resolved.OperatorId);
        Assert.Empty((await ratings.ListFollowUpsAsync(new ListFollowUpsRequest { State = FollowUp.Types.State.Open }, Bounded.Options).Within()).FollowUps);
    }

    [Fact]
    public async Task Rate_GoodScores_NoFollowUp_BadInputAllReportedAtOnce()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var ratings = new RatingService.RatingServiceClient(sandbox.Invoker);
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, Today));
        await sandbox.WaitForCompletionAsync(submitted.Name);

        var bad = NewRequest(submitted.Name, 9);
        bad.Rating.Departments["tax"] = 0;
        bad.Rating.Departments["no-such-department"] = 5;
        bad.Rating.Comment = new string('好', 501);
        var refused = await RichErrors.FailureOf(() => ratings.RateApplicationAsync(bad, Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Equal(
            ["rating.comment", "rating.departments[no-such-department]", "rating.departments[tax]", "rating.overall"],
            refused.Violations.Select(v => v.Field).Order(StringComparer.Ordinal));

        var good = NewRequest(submitted.Name, 5);
        good.Rating.Departments["tax"] = 5;
        var rating = await ratings.RateApplicationAsync(good, Bounded.Options).Within();
        Assert.Empty(rating.FollowUp);
        Assert.Empty((await ratings.ListFollowUpsAsync(new ListFollowUpsRequest(), Bounded.Options).Within()).FollowUps);
    }

    private static RateApplicationRequest NewRequest(string name, int overall) =>
        new() { Name = name, RequestId = Guid.NewGuid().ToString(), Rating = new Rating { Overall = overall } };
}

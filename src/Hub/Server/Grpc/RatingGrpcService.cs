using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.Ratings;
using OneThing.Hub.V1;
using Microsoft.AspNetCore.Authorization;
using OneThing.Hub.Security;

namespace OneThing.Hub.Grpc;

/// <summary>The public rating API (好差评) and the operators' follow-ups of bad ratings.</summary>
[Authorize(Roles = HubRoles.Readers)]
public sealed class RatingGrpcService(RatingUseCases useCases, ApplicationAccess access) : RatingService.RatingServiceBase
{
    private const string FollowUpPrefix = "followUps/";

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Rating> RateApplication(RateApplicationRequest request, ServerCallContext context)
    {
        var id = ProtoMapping.ApplicationId(request.Name) ?? throw Invalid("name", "申请名称应为 applications/{id}");
        var rating = request.Rating ?? throw Invalid("rating", "缺少评价内容 rating");
        var input = new RatingInput(rating.Overall, rating.Departments.ToDictionary(d => d.Key.Trim(), d => d.Value, StringComparer.Ordinal), rating.Comment ?? string.Empty);
        await access.GuardAsync(id, context);
        var rated = await useCases.RateAsync(id, input, request.RequestId, context.CancellationToken);
        return ToProto(rated, await useCases.FollowUpOfAsync(id, context.CancellationToken));
    }

    /// <inheritdoc />
    public override async Task<Rating> GetRating(GetRatingRequest request, ServerCallContext context)
    {
        const string Suffix = "/rating";
        var name = request.Name.EndsWith(Suffix, StringComparison.Ordinal) ? request.Name[..^Suffix.Length] : string.Empty;
        var id = ProtoMapping.ApplicationId(name) ?? throw Invalid("name", "评价名称应为 applications/{id}/rating");
        await access.GuardAsync(id, context);
        var rating = await useCases.GetAsync(id, context.CancellationToken);
        return ToProto(rating, await useCases.FollowUpOfAsync(id, context.CancellationToken));
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Operator)]
    public override async Task<ListFollowUpsResponse> ListFollowUps(ListFollowUpsRequest request, ServerCallContext context)
    {
        FollowUpState? state = request.State switch
        {
            FollowUp.Types.State.Unspecified => null,
            FollowUp.Types.State.Open => FollowUpState.Open,
            FollowUp.Types.State.Resolved => FollowUpState.Resolved,
            _ => throw Invalid("state", "整改状态取值无效"),
        };
        var page = await useCases.ListFollowUpsAsync(state, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListFollowUpsResponse { NextPageToken = page.NextPageToken };
        response.FollowUps.Add(page.FollowUps.Select(ToProto));
        return response;
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Operator)]
    public override async Task<FollowUp> ResolveFollowUp(ResolveFollowUpRequest request, ServerCallContext context)
    {
        var id = request.Name.StartsWith(FollowUpPrefix, StringComparison.Ordinal) &&
                 long.TryParse(request.Name.AsSpan(FollowUpPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw Invalid("name", "整改名称应为 followUps/{id}");
        return ToProto(await useCases.ResolveAsync(id, OperatorIdentity.Of(context, request.OperatorId), request.Resolution ?? string.Empty, context.CancellationToken));
    }

    private static Rating ToProto(RatingRecord r, FollowUpRecord? followUp)
    {
        var proto = new Rating
        {
            Name = $"applications/{r.ApplicationId}/rating",
            Overall = r.Overall,
            Comment = r.Comment,
            CreateTime = Timestamp.FromDateTimeOffset(r.CreatedAt),
            FollowUp = followUp is null ? string.Empty : FollowUpPrefix + followUp.Id.ToString(CultureInfo.InvariantCulture),
        };
        proto.Departments.Add(r.Departments);
        return proto;
    }

    private static FollowUp ToProto(FollowUpRecord f)
    {
        var proto = new FollowUp
        {
            Name = FollowUpPrefix + f.Id.ToString(CultureInfo.InvariantCulture),
            Application = $"applications/{f.ApplicationId}",
            Theme = $"themes/{f.ThemeCode}",
            Overall = f.Overall,
            Comment = f.Comment,
            State = f.State == FollowUpState.Open ? FollowUp.Types.State.Open : FollowUp.Types.State.Resolved,
            DueDate = f.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
            CreateTime = Timestamp.FromDateTimeOffset(f.CreatedAt),
            OperatorId = f.OperatorId ?? string.Empty,
            Resolution = f.Resolution ?? string.Empty,
            ResolveTime = f.ResolvedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        };
        proto.Departments.Add(f.Departments);
        return proto;
    }

    private static HubRequestInvalidException Invalid(string field, string description) =>
        new(ErrorReasons.RequestInvalid, description, [new FieldViolation(field, "INVALID_NAME", description)]);
}

using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.V1;

namespace OneThing.Hub.Grpc;

/// <summary>The public application API: validates the request's shape, calls the use case, maps.</summary>
public sealed class ApplicationGrpcService(ApplicationUseCases useCases, ApplicationChangeFeed changes, TimeProvider time) : ApplicationService.ApplicationServiceBase
{
    private static readonly TimeSpan WatchLookInterval = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override async Task<Application> CreateApplication(CreateApplicationRequest request, ServerCallContext context)
    {
        var application = request.Application ?? throw Missing("application", "缺少申请内容 application");
        var draft = await useCases.CreateDraftAsync(ProtoMapping.ThemeCode(application.Theme), ProtoMapping.ToContent(application), request.RequestId, context.CancellationToken);
        return ProtoMapping.ToProto(draft, useCases.ThemeOf(draft));
    }

    /// <inheritdoc />
    public override async Task<Application> UpdateApplication(UpdateApplicationRequest request, ServerCallContext context)
    {
        var application = request.Application ?? throw Missing("application", "缺少申请内容 application");
        var id = Id(application.Name, "application.name");
        var updated = await useCases.UpdateDraftAsync(id, ProtoMapping.ToContent(application), application.Etag, context.CancellationToken);
        return ProtoMapping.ToProto(updated, useCases.ThemeOf(updated));
    }

    /// <inheritdoc />
    public override async Task<ValidateApplicationResponse> ValidateApplication(ValidateApplicationRequest request, ServerCallContext context)
    {
        var plan = request.SourceCase switch
        {
            ValidateApplicationRequest.SourceOneofCase.Name => await useCases.ValidateDraftAsync(Id(request.Name, "name"), context.CancellationToken),
            ValidateApplicationRequest.SourceOneofCase.Application => useCases.Validate(ProtoMapping.ThemeCode(request.Application.Theme), ProtoMapping.ToContent(request.Application)),
            _ => throw Missing("source", "请提供草稿名称 name 或申请内容 application"),
        };
        var response = new ValidateApplicationResponse { DueDate = plan.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty };
        response.Items.Add(plan.Items.Select(i => ProtoMapping.ToPlannedItem(i.Item, i.DueDate)));
        return response;
    }

    /// <inheritdoc />
    public override async Task<Application> SubmitApplication(SubmitApplicationRequest request, ServerCallContext context)
    {
        var submitted = request.SourceCase switch
        {
            SubmitApplicationRequest.SourceOneofCase.Name => await useCases.SubmitDraftAsync(Id(request.Name, "name"), request.RequestId, context.CancellationToken),
            SubmitApplicationRequest.SourceOneofCase.Application => await useCases.SubmitAsync(ProtoMapping.ThemeCode(request.Application.Theme), ProtoMapping.ToContent(request.Application), request.RequestId, context.CancellationToken),
            _ => throw Missing("source", "请提供草稿名称 name 或申请内容 application"),
        };
        return ProtoMapping.ToProto(submitted, useCases.ThemeOf(submitted));
    }

    /// <inheritdoc />
    public override async Task<Application> GetApplication(GetApplicationRequest request, ServerCallContext context)
    {
        var application = await useCases.GetAsync(Id(request.Name, "name"), context.CancellationToken);
        return ProtoMapping.ToProto(application, useCases.ThemeOf(application));
    }

    /// <inheritdoc />
    public override async Task<ListApplicationsResponse> ListApplications(ListApplicationsRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw Invalid("page_size", "INVALID_PAGE_SIZE", "每页数量不能为负数");
        }

        var theme = string.IsNullOrEmpty(request.Theme) ? null : ProtoMapping.ThemeCode(request.Theme);
        if (theme is { Length: 0 })
        {
            throw Invalid("theme", "INVALID_NAME", "主题名称应为 themes/{code}");
        }

        ApplicationState? state = request.State == Application.Types.State.Unspecified ? null : (ApplicationState)(int)request.State;
        if (state is { } s && !Enum.IsDefined(s))
        {
            throw Invalid("state", ViolationReasons.InvalidChoice, "申请状态取值无效");
        }

        var page = await useCases.ListAsync(theme, state, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListApplicationsResponse { NextPageToken = page.NextPageToken };
        response.Applications.Add(page.Applications.Select(a => ProtoMapping.ToProto(a, useCases.ThemeOf(a))));
        return response;
    }

    /// <inheritdoc />
    public override async Task WatchApplication(WatchApplicationRequest request, IServerStreamWriter<Application> responseStream, ServerCallContext context)
    {
        var id = Id(request.Name, "name");
        var ct = context.CancellationToken;
        var lastRevision = -1;
        while (!ct.IsCancellationRequested)
        {
            var application = await useCases.GetAsync(id, ct);
            if (application.Revision != lastRevision)
            {
                lastRevision = application.Revision;
                await responseStream.WriteAsync(ProtoMapping.ToProto(application, useCases.ThemeOf(application)), ct);
            }

            if (application.State is ApplicationState.Completed)
            {
                return;
            }

            await changes.WaitAsync(id, WatchLookInterval, time, ct);
        }
    }

    private static string Id(string name, string field) =>
        ProtoMapping.ApplicationId(name) ?? throw Invalid(field, "INVALID_NAME", "申请名称应为 applications/{id}");

    private static HubRequestInvalidException Missing(string field, string description) =>
        Invalid(field, ViolationReasons.Required, description);

    private static HubRequestInvalidException Invalid(string field, string reason, string description) =>
        new(ErrorReasons.RequestInvalid, description, [new FieldViolation(field, reason, description)]);
}

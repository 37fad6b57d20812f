using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.V1;
using Microsoft.AspNetCore.Authorization;
using OneThing.Hub.Security;

namespace OneThing.Hub.Grpc;

/// <summary>The public application API: validates the request's shape, calls the use case, maps.</summary>
[Authorize(Roles = HubRoles.Readers)]
public sealed class ApplicationGrpcService(
    ApplicationUseCases useCases,
    ApplicationAccess access,
    ApplicationChangeFeed changes,
    SharedDataLookups sharedData,
    OneThing.Hub.Catalog.CatalogSnapshot catalog,
    DraftOptions drafts,
    TimeProvider time) : ApplicationService.ApplicationServiceBase
{
    private static readonly TimeSpan WatchLookInterval = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Application> CreateApplication(CreateApplicationRequest request, ServerCallContext context)
    {
        var application = request.Application ?? throw Missing("application", "缺少申请内容 application");
        var content = Filed(ProtoMapping.ToContent(application), application.Filing, context, draft: true);
        var draft = await useCases.CreateDraftAsync(ProtoMapping.ThemeCode(application.Theme), content, request.RequestId, context.CancellationToken);
        return Map(ApplicationAccess.Visible(Caller.Of(context), draft));
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Application> UpdateApplication(UpdateApplicationRequest request, ServerCallContext context)
    {
        var application = request.Application ?? throw Missing("application", "缺少申请内容 application");
        var id = Id(application.Name, "application.name");
        var existing = await access.GuardAsync(id, context);
        var content = Filed(ProtoMapping.ToContent(application), application.Filing, context, draft: true, existing.Content.Filing);
        var updated = await useCases.UpdateDraftAsync(id, content, application.Etag, context.CancellationToken);
        return Map(updated);
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<ValidateApplicationResponse> ValidateApplication(ValidateApplicationRequest request, ServerCallContext context)
    {
        var plan = request.SourceCase switch
        {
            ValidateApplicationRequest.SourceOneofCase.Name => await useCases.ValidateDraftAsync((await access.GuardAsync(Id(request.Name, "name"), context)).Id, context.CancellationToken),
            ValidateApplicationRequest.SourceOneofCase.Application => await useCases.ValidateAsync(ProtoMapping.ThemeCode(request.Application.Theme), Filed(ProtoMapping.ToContent(request.Application), request.Application.Filing, context), context.CancellationToken),
            _ => throw Missing("source", "请提供草稿名称 name 或申请内容 application"),
        };
        var response = new ValidateApplicationResponse { DueDate = plan.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty };
        response.Items.Add(plan.Items.Select(i => ProtoMapping.ToPlannedItem(i.Item, i.DueDate)));
        return response;
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Application> SubmitApplication(SubmitApplicationRequest request, ServerCallContext context)
    {
        var submitted = request.SourceCase switch
        {
            SubmitApplicationRequest.SourceOneofCase.Name => await useCases.SubmitDraftAsync((await access.GuardAsync(Id(request.Name, "name"), context)).Id, request.RequestId, context.CancellationToken),
            SubmitApplicationRequest.SourceOneofCase.Application => await useCases.SubmitAsync(ProtoMapping.ThemeCode(request.Application.Theme), Filed(ProtoMapping.ToContent(request.Application), request.Application.Filing, context), request.RequestId, context.CancellationToken),
            _ => throw Missing("source", "请提供草稿名称 name 或申请内容 application"),
        };
        return Map(ApplicationAccess.Visible(Caller.Of(context), submitted));
    }

    /// <inheritdoc />
    public override async Task<Application> GetApplication(GetApplicationRequest request, ServerCallContext context)
    {
        var application = await access.GuardAsync(Id(request.Name, "name"), context);
        return Map(application);
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

        var page = await useCases.ListAsync(theme, state, request.PageSize, request.PageToken, context.CancellationToken, access.ListScope(Caller.Of(context)));
        var response = new ListApplicationsResponse { NextPageToken = page.NextPageToken };
        response.Applications.Add(page.Applications.Select(Map));
        return response;
    }

    /// <inheritdoc />
    public override async Task WatchApplication(WatchApplicationRequest request, IServerStreamWriter<Application> responseStream, ServerCallContext context)
    {
        var id = (await access.GuardAsync(Id(request.Name, "name"), context)).Id;
        var ct = context.CancellationToken;
        var lastRevision = -1;
        while (!ct.IsCancellationRequested)
        {
            var application = await useCases.GetAsync(id, ct);
            if (application.Revision != lastRevision)
            {
                lastRevision = application.Revision;
                await responseStream.WriteAsync(Map(application), ct);
            }

            if (application.State is ApplicationState.Completed)
            {
                return;
            }

            await changes.WaitAsync(id, WatchLookInterval, time, ct);
        }
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Application> ResubmitItem(ResubmitItemRequest request, ServerCallContext context)
    {
        var (id, itemCode) = ItemName(request.Name);
        await access.GuardAsync(id, context);
        var correction = new ItemCorrection(
            request.Fields.ToDictionary(kv => kv.Key.Trim(), kv => kv.Value.Trim(), StringComparer.Ordinal),
            ProtoMapping.ToPayment(request.PaymentAccount),
            ProtoMapping.ToDelivery(request.Delivery));
        var application = await useCases.ResubmitItemAsync(id, itemCode, correction, request.RequestId, request.Etag, context.CancellationToken);
        return Map(application);
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Google.Protobuf.WellKnownTypes.Empty> DeleteApplication(DeleteApplicationRequest request, ServerCallContext context)
    {
        await useCases.DeleteDraftAsync((await access.GuardAsync(Id(request.Name, "name"), context)).Id, request.Etag, context.CancellationToken);
        return new Google.Protobuf.WellKnownTypes.Empty();
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Application> WithdrawApplication(WithdrawApplicationRequest request, ServerCallContext context)
    {
        var application = await useCases.WithdrawAsync((await access.GuardAsync(Id(request.Name, "name"), context)).Id, null, request.Reason, context.CancellationToken);
        return Map(application);
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<Application> WithdrawItem(WithdrawItemRequest request, ServerCallContext context)
    {
        var (id, itemCode) = ItemName(request.Name);
        await access.GuardAsync(id, context);
        var application = await useCases.WithdrawAsync(id, itemCode, request.Reason, context.CancellationToken);
        return Map(application);
    }

    /// <inheritdoc />
    [Authorize(Roles = HubRoles.Filers)]
    public override async Task<PrefillApplicationResponse> PrefillApplication(PrefillApplicationRequest request, ServerCallContext context)
    {
        var themeCode = ProtoMapping.ThemeCode(request.Theme);
        var theme = string.IsNullOrEmpty(themeCode) ? null : catalog.Latest(themeCode);
        var applicant = ProtoMapping.ToContent(new Application { Applicant = request.Applicant ?? new Applicant() }).Applicant;

        // Shared data is personal data: an applicant looks up only their own.
        ApplicationAccess.EnsureMayFile(Caller.Of(context), applicant);
        var violations = new List<FieldViolation>();
        if (theme is null)
        {
            violations.Add(string.IsNullOrWhiteSpace(request.Theme)
                ? new FieldViolation("theme", ViolationReasons.Required, "请选择要办理的一件事主题")
                : new FieldViolation("theme", ViolationReasons.UnknownTheme, $"没有主题“{request.Theme}”"));
        }

        var today = Hub.Domain.Calendar.ChinaTime.Today(time.GetUtcNow());
        violations.AddRange(ApplicationValidator.ValidateApplicant(applicant, today)
            .Where(v => v.Field.StartsWith("applicant.id_document", StringComparison.Ordinal)));
        if (violations.Count > 0 || theme is null)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "无法查询共享数据：请检查主题和证件信息", violations);
        }

        var selected = request.SelectedItems.Select(i => i.Trim()).Where(i => i.Length > 0).ToList();
        var prefill = await sharedData.PrefillAsync(theme, selected, applicant, System.Diagnostics.Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N"), context.CancellationToken);
        var application = new Application { Theme = request.Theme, Applicant = request.Applicant };
        application.SelectedItems.Add(selected);
        var response = new PrefillApplicationResponse { Application = application };
        foreach (var value in prefill.Values)
        {
            application.Fields[value.FieldKey] = value.Value;
            response.Values.Add(new OneThing.Hub.V1.PrefilledValue { Path = $"fields[{value.FieldKey}]", Value = value.Value, Department = value.Department, Source = value.Source });
        }

        response.Materials.Add(prefill.Materials.Select(m => new SharedMaterial
        {
            Code = m.Material.Code,
            Title = m.Material.Title,
            State = (SharedMaterial.Types.LookupState)(int)m.State,
            UploadRequired = m.UploadRequired,
            Message = m.Message,
            Department = m.Department,
        }));
        return response;
    }

    /// <summary>
    /// The content as filed by the caller: a clerk's filing records the clerk, their service centre and
    /// the applicant's authorisation (checked with every other field); an applicant files only for
    /// themself, and keeps a clerk's earlier filing of the same draft.
    /// </summary>
    private static OneThing.Hub.Domain.Applications.ApplicationContent Filed(
        OneThing.Hub.Domain.Applications.ApplicationContent content, Filing? filing, ServerCallContext context, bool draft = false, ClerkFiling? existing = null)
    {
        var caller = Caller.Of(context);
        if (caller.Is(HubRoles.Clerk) && !caller.Is(HubRoles.Applicant))
        {
            var centre = caller.ServiceCentre ?? throw new HubPermissionDeniedException(ErrorReasons.CallerUnknown, "窗口人员的身份令牌缺少服务中心 service_centre");
            var given = filing ?? new Filing();
            return content with
            {
                Filing = new ClerkFiling(caller.Subject, centre, (FilingAuthorization)(int)given.Authorization, given.AuthorizationReference.Trim(), given.AgentName.Trim()),
            };
        }

        if (existing is null && filing is not null && filing.Authorization != Filing.Types.Authorization.Unspecified)
        {
            throw Invalid("application.filing", "FILING_NOT_ALLOWED", "代办信息 filing 只能由窗口工作人员填写");
        }

        ApplicationAccess.EnsureMayFile(caller, content.Applicant);

        // An applicant's draft is theirs: the identity platform verified who they are, so a first draft
        // that does not give the ID number yet carries the login's. A submission must give it itself.
        if (draft && string.IsNullOrWhiteSpace(content.Applicant.IdNumber) && caller.IdNumber is { Length: > 0 } own)
        {
            content = content with { Applicant = content.Applicant with { IdNumber = own } };
        }

        return content with { Filing = existing };
    }

    private Application Map(JointApplication application)
    {
        var proto = ProtoMapping.ToProto(application, useCases.ThemeOf(application));
        if (application.State == ApplicationState.Draft)
        {
            proto.ExpireTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(application.UpdatedAt + drafts.Lifetime);
        }

        return proto;
    }

    private static (string ApplicationId, string ItemCode) ItemName(string name)
    {
        const string Items = "/items/";
        var at = name.IndexOf(Items, StringComparison.Ordinal);
        var id = at > 0 ? ProtoMapping.ApplicationId(name[..at]) : null;
        var code = at > 0 ? name[(at + Items.Length)..] : string.Empty;
        if (id is null || code.Length is 0 or > 64 || code.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid("name", "INVALID_NAME", "事项名称应为 applications/{id}/items/{item_code}");
        }

        return (id, code);
    }

    private static string Id(string name, string field) =>
        ProtoMapping.ApplicationId(name) ?? throw Invalid(field, "INVALID_NAME", "申请名称应为 applications/{id}");

    private static HubRequestInvalidException Missing(string field, string description) =>
        Invalid(field, ViolationReasons.Required, description);

    private static HubRequestInvalidException Invalid(string field, string reason, string description) =>
        new(ErrorReasons.RequestInvalid, description, [new FieldViolation(field, reason, description)]);
}

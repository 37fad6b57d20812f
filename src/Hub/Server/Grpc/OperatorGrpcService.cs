using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Operators;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using DomainWorkKind = OneThing.Hub.Operators.WorkKind;
using ProtoWorkKind = OneThing.Hub.V1.WorkKind;
using Microsoft.AspNetCore.Authorization;
using OneThing.Hub.Security;

namespace OneThing.Hub.Grpc;

/// <summary>The operators' API: checks the request's shape, calls the use case, maps.</summary>
[Authorize(Roles = HubRoles.Operator)]
public sealed class OperatorGrpcService(OperatorUseCases useCases) : OperatorService.OperatorServiceBase
{
    private const int MaxOperatorIdLength = 64;
    private const int MaxReasonLength = 500;
    private static readonly TimeSpan DefaultStuckAfter = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public override async Task<ListWorkResponse> ListWork(ListWorkRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        DomainWorkKind? kind = request.Kind switch
        {
            ProtoWorkKind.Stuck => DomainWorkKind.Stuck,
            ProtoWorkKind.Overdue => DomainWorkKind.Overdue,
            ProtoWorkKind.Exhausted => DomainWorkKind.Exhausted,
            _ => null,
        };
        if (kind is null)
        {
            violations.Add(new FieldViolation("kind", ViolationReasons.Required, "请选择要查看的工作类型 kind（滞留、超期或已放弃）"));
        }

        var theme = string.IsNullOrEmpty(request.Theme) ? null : ProtoMapping.ThemeCode(request.Theme);
        if (theme is { Length: 0 })
        {
            violations.Add(new FieldViolation("theme", "INVALID_NAME", "主题名称应为 themes/{code}"));
        }

        DateOnly? dueBefore = null;
        if (request.DueBefore.Length > 0)
        {
            if (DateOnly.TryParseExact(request.DueBefore, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                dueBefore = date;
            }
            else
            {
                violations.Add(new FieldViolation("due_before", ViolationReasons.InvalidDate, "截止日期 due_before 应为 yyyy-MM-dd"));
            }
        }

        var stuckAfter = request.StuckAfter?.ToTimeSpan() ?? DefaultStuckAfter;
        if (stuckAfter < TimeSpan.Zero)
        {
            violations.Add(new FieldViolation("stuck_after", "INVALID_DURATION", "滞留时长 stuck_after 不能为负数"));
        }

        if (request.PageSize < 0)
        {
            violations.Add(new FieldViolation("page_size", "INVALID_PAGE_SIZE", "每页数量不能为负数"));
        }

        if (violations.Count > 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, $"查询条件有{violations.Count}处问题", violations);
        }

        var page = await useCases.ListWorkAsync(
            new WorkQuery(kind!.Value, request.Department is { Length: > 0 } d ? d : null, theme, dueBefore, stuckAfter, request.PageSize, request.PageToken),
            context.CancellationToken);
        var response = new ListWorkResponse { NextPageToken = page.NextPageToken };
        response.Items.Add(page.Entries.Select(ToProto));
        return response;
    }

    /// <inheritdoc />
    public override async Task<WorkItem> RetryItem(RetryItemRequest request, ServerCallContext context)
    {
        var (applicationId, itemCode) = CheckAction(request.Name, OperatorIdentity.Of(context, request.OperatorId), request.Reason);
        return ToProto(await useCases.RetryAsync(applicationId, itemCode, OperatorIdentity.Of(context, request.OperatorId), request.Reason, context.CancellationToken));
    }

    /// <inheritdoc />
    public override async Task<WorkItem> CancelItem(CancelItemRequest request, ServerCallContext context)
    {
        var (applicationId, itemCode) = CheckAction(request.Name, OperatorIdentity.Of(context, request.OperatorId), request.Reason);
        return ToProto(await useCases.CancelAsync(applicationId, itemCode, OperatorIdentity.Of(context, request.OperatorId), request.Reason, context.CancellationToken));
    }

    /// <inheritdoc />
    public override async Task<ListOperatorActionsResponse> ListOperatorActions(ListOperatorActionsRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "每页数量不能为负数", [new FieldViolation("page_size", "INVALID_PAGE_SIZE", "每页数量不能为负数")]);
        }

        var page = await useCases.ListActionsAsync(
            request.Target is { Length: > 0 } t ? t : null,
            request.OperatorId is { Length: > 0 } o ? o : null,
            request.PageSize,
            request.PageToken,
            context.CancellationToken);
        var response = new ListOperatorActionsResponse { NextPageToken = page.NextPageToken };
        response.Actions.Add(page.Actions.Select(a => new OperatorAction
        {
            Id = a.Id,
            OperatorId = a.OperatorId,
            Kind = a.Kind switch
            {
                OperatorActionKind.Retry => OperatorAction.Types.Kind.Retry,
                OperatorActionKind.Cancel => OperatorAction.Types.Kind.Cancel,
                _ => OperatorAction.Types.Kind.Unspecified,
            },
            Target = a.Target,
            Reason = a.Reason,
            Time = Timestamp.FromDateTimeOffset(a.At),
            Outcome = a.Outcome,
        }));
        return response;
    }

    private static (string ApplicationId, string ItemCode) CheckAction(string name, string operatorId, string reason)
    {
        var violations = new List<FieldViolation>();
        var parsed = ParseItemName(name);
        if (parsed is null)
        {
            violations.Add(new FieldViolation("name", "INVALID_NAME", "事项名称应为 applications/{id}/items/{item_code}"));
        }

        if (operatorId.Length is 0 or > MaxOperatorIdLength)
        {
            violations.Add(new FieldViolation("operator_id", ViolationReasons.Required, $"缺少操作人 operator_id，或超过{MaxOperatorIdLength}个字符"));
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            violations.Add(new FieldViolation("reason", ViolationReasons.Required, $"请填写操作原因 reason（不超过{MaxReasonLength}个字符）"));
        }

        return violations.Count > 0
            ? throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, $"操作请求有{violations.Count}处问题", violations)
            : parsed!.Value;
    }

    private static (string ApplicationId, string ItemCode)? ParseItemName(string name)
    {
        var parts = name.Split('/');
        return parts is ["applications", { Length: > 0 and <= 32 } id, "items", { Length: > 0 and <= 100 } code] ? (id, code) : null;
    }

    private static WorkItem ToProto(WorkEntry entry)
    {
        var item = entry.Item;
        return new WorkItem
        {
            Name = OperatorUseCases.ItemName(item.ApplicationId, item.ItemCode),
            Application = ProtoMapping.ApplicationPrefix + item.ApplicationId,
            ItemCode = item.ItemCode,
            Department = item.Department,
            Theme = entry.ThemeCode.Length > 0 ? ProtoMapping.ThemeName(entry.ThemeCode) : string.Empty,
            State = (ApplicationItem.Types.State)(int)item.State,
            Attempts = item.Attempts,
            LastError = item.LastError ?? string.Empty,
            DueDate = item.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
            WorkingDaysOverdue = entry.WorkingDaysOverdue,
            NextAttemptTime = item.NextAttemptAt is { } next ? Timestamp.FromDateTimeOffset(next) : null,
            CaseNumber = item.CaseNumber ?? string.Empty,
            UpdateTime = Timestamp.FromDateTimeOffset(item.UpdatedAt),
            Exhausted = entry.Exhausted,
        };
    }
}

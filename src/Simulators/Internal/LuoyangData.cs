namespace OneThing.Simulators.Internal;

/// <summary>
/// The vocabulary the synthetic population is drawn from: names, banks, trades (first drawn for
/// Luoyang, hence the name; the places of every region are in <see cref="Regions"/>).
/// </summary>
internal static class LuoyangData
{
    public const string EntityTypeIndividual = "个体工商户";
    public const string EntityTypeNoEmployees = "个体工商户(无雇工)";
    public const string StatusOperating = "存续";

    /// <summary>Guangdong's wording of an individual business with employees (Shaoguan).</summary>
    public const string EntityTypeWithEmployeesGuangdong = "个体工商户(有雇工的)";

    /// <summary>Guangdong's wording of an individual business without employees (Shaoguan).</summary>
    public const string EntityTypeNoEmployeesGuangdong = "个体工商户(无雇工的)";

    public static readonly IReadOnlyList<string> SubsidyCategories =
        ["recent-graduate", "employment-difficulty", "returning-migrant-worker", "veteran"];

    public static readonly IReadOnlyList<string> Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
        "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
        "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
    ];

    public static readonly IReadOnlyList<string> MaleGivenCharacters =
    [
        "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "鑫",
        "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳", "建", "国", "志",
    ];

    public static readonly IReadOnlyList<string> FemaleGivenCharacters =
    [
        "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "燕", "萍", "红", "梅", "琳", "雪",
        "婷", "倩", "慧", "颖", "璐", "佳", "欣", "悦", "晶", "洁", "莉", "蕾", "丹", "琴", "云", "薇", "月",
    ];

    public static readonly IReadOnlyList<string> MobilePrefixes =
    [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
        "155", "156", "158", "159", "177", "180", "181", "185", "186", "187", "188", "189", "199",
    ];

    public static readonly IReadOnlyList<Bank> Banks =
    [
        new("中国工商银行", "622202"),
        new("中国农业银行", "622848"),
        new("中国银行", "621785"),
        new("中国建设银行", "621700"),
        new("中国邮政储蓄银行", "621799"),
        new("洛阳银行", "623161"),
        new("中原银行", "623595"),
    ];

    public static readonly IReadOnlyList<string> BrandNames =
    [
        "鑫源", "恒达", "福满", "佳和", "顺发", "兴隆", "聚福", "金诚", "宏运", "德润", "晨光", "百味", "美家",
        "优品", "康乐", "和顺", "永盛", "瑞丰", "天合", "益民", "牡丹", "河洛", "古都", "龙门",
    ];

    public static readonly IReadOnlyList<string> Trades =
    [
        "便利店", "面馆", "五金店", "服装店", "理发店", "水果店", "烟酒店", "汽车维修部", "电子产品经营部",
        "小吃店", "花店", "文具店", "家电维修部", "餐馆", "超市",
    ];

    /// <summary>A bank and the card BIN its 19-digit accounts start with.</summary>
    public sealed record Bank(string Name, string Bin);

    /// <summary>Banks with branches everywhere, for the regions other than Luoyang.</summary>
    public static readonly IReadOnlyList<Bank> NationalBanks = [.. Banks.Take(5)];

    /// <summary>Brand words that name no particular city, for the regions other than Luoyang.</summary>
    public static readonly IReadOnlyList<string> CommonBrandNames = [.. BrandNames.Take(20)];

    /// <summary>Tells whether an entity or unit type is an individual business without employees, in either wording.</summary>
    public static bool IsWithoutEmployees(string? entityType) =>
        entityType is not null && entityType.Contains("无雇工", StringComparison.Ordinal);
}

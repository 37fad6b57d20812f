using System.Globalization;
using OneThing.Hub.V1;
using OneThing.Simulators;

namespace OneThing.Sandbox;

/// <summary>Sample applications for people of the simulators' synthetic population.</summary>
public static class SampleApplications
{
    /// <summary>The Luoyang personal-startup theme's resource name.</summary>
    public const string LuoyangTheme = "themes/luoyang.personal-startup";

    /// <summary>Every item of the Luoyang theme, in catalog order.</summary>
    public static readonly IReadOnlyList<string> LuoyangItems =
    [
        "market.licence-verification",
        "tax.taxpayer-confirmation",
        "hr.employment-certificate",
        "si.flexible-pension-registration",
        "hr.startup-subsidy",
        "sscard.card-application",
    ];

    /// <summary>A complete Luoyang 个人创业一件事 application for <paramref name="person"/>, every item chosen.</summary>
    public static Application Luoyang(SimulatedPerson person, DateOnly signedOn)
    {
        var application = Base(LuoyangTheme, person, signedOn);
        application.Delivery = new Delivery
        {
            Method = DeliveryMethod.Mail,
            Address = new Address { DivisionCode = person.ResidenceDivisionCode, Detail = person.ResidenceAddress },
            Recipient = person.Name,
            RecipientMobile = person.Mobile,
        };
        application.SelectedItems.Add(LuoyangItems);
        application.Fields.Add("licence.name", person.LicenceName);
        application.Fields.Add("licence.uscc", person.LicenceUscc);
        application.Fields.Add("subsidy.category", person.SubsidyCategory ?? "recent-graduate");
        application.Fields.Add("pension.contribution_base", "4500.00");
        application.Fields.Add("card.photo_receipt_no", person.PhotoReceiptNo);
        application.Fields.Add("card.pickup", "post");
        return application;
    }

    /// <summary>The Shaoguan personal-startup theme's resource name.</summary>
    public const string ShaoguanTheme = "themes/shaoguan.personal-startup";

    /// <summary>The Baotou startup theme's resource name.</summary>
    public const string BaotouTheme = "themes/baotou.startup";

    /// <summary>The Jieyang unemployment theme's resource name.</summary>
    public const string JieyangTheme = "themes/jieyang.unemployment";

    /// <summary>The Jiangsu job-seeking subsidy theme's resource name.</summary>
    public const string JiangsuTheme = "themes/jiangsu.job-seeking-subsidy";

    /// <summary>
    /// A Shaoguan 个人创业一件事 application: employment registration with the 就业创业证, the startup grant
    /// and the rent subsidy for the first year after registration, and the social security card when the
    /// person has none. The subsidies are paid into the card's financial account when there is one.
    /// </summary>
    public static Application Shaoguan(SimulatedPerson person, DateOnly signedOn)
    {
        var licence = person.Licence ?? throw new ArgumentException("a Shaoguan applicant needs a registered business", nameof(person));
        var application = Base(ShaoguanTheme, person, signedOn);
        application.Delivery = null;
        application.PaymentAccount = new PaymentAccount { BankName = person.BankName, AccountNumber = person.CardAccount ?? person.AccountNumber };
        application.SelectedItems.Add(["hr.employment-registration", "hr.employment-certificate", "hr.startup-grant", "hr.rent-subsidy"]);
        if (!person.HasCard)
        {
            application.SelectedItems.Add("sscard.card-application");
            application.Fields["card.photo_receipt_no"] = person.PhotoReceiptNo;
            application.Fields["card.pickup"] = "post";
            application.Delivery = new Delivery
            {
                Method = DeliveryMethod.Mail,
                Address = new Address { DivisionCode = person.ResidenceDivisionCode, Detail = person.ResidenceAddress },
                Recipient = person.Name,
                RecipientMobile = person.Mobile,
            };
        }

        application.GuideAnswers["has_business"] = "yes";
        application.GuideAnswers["unit_type"] = licence.EntityType.Contains("无雇工", StringComparison.Ordinal) ? "individual-no-employees" : "individual-with-employees";
        application.GuideAnswers["rents_premises"] = "yes";
        application.GuideAnswers["has_card"] = person.HasCard ? "yes" : "no";
        var registered = licence.RegistrationDate;
        application.Fields["unit.name"] = licence.EntityName;
        application.Fields["unit.uscc"] = licence.Uscc;
        application.Fields["unit.type"] = licence.EntityType;
        application.Fields["unit.registration_date"] = Date(registered);
        application.Fields["unit.registered_division"] = person.ResidenceDivisionCode;
        application.Fields["employment.division_code"] = person.ResidenceDivisionCode;
        application.Fields["employment.address"] = licence.Address;
        application.Fields["subsidy.place"] = "韶关市人力资源和社会保障局";
        application.Fields["rent.period_start"] = Date(registered);
        application.Fields["rent.period_end"] = Date(registered.AddYears(1).AddDays(-1));
        application.Fields["rent.amount"] = "3600.00";
        return application;
    }

    /// <summary>A Baotou 创业一件事一次办 application with all four items, filed at a window.</summary>
    public static Application Baotou(SimulatedPerson person, DateOnly signedOn)
    {
        var application = Base(BaotouTheme, person, signedOn);
        application.Pledge = null;
        application.SelectedItems.Add(["hr.startup-training", "hr.guaranteed-loan", "hr.one-time-startup-subsidy", "hr.opening-guidance"]);
        application.Fields["training.intent"] = "网店运营";
        application.Fields["loan.type"] = "personal";
        application.Fields["loan.amount"] = "200000.00";
        application.Fields["loan.bank"] = "中国银行包头分行";
        application.Fields["subsidy.category"] = person.StartupCategoryBaotou ?? "employment-difficulty";
        application.Delivery = new Delivery { Method = DeliveryMethod.Pickup, PickupSite = "包头市政务服务中心创业一件事窗口（电话通知领取）" };
        return application;
    }

    /// <summary>A Jieyang 失业一件事 application with all eight items.</summary>
    public static Application Jieyang(SimulatedPerson person, DateOnly signedOn)
    {
        var application = Base(JieyangTheme, person, signedOn);
        application.Pledge = null;
        application.Delivery = null;
        application.SelectedItems.Add([
            "hr.unemployment-registration", "hr.employment-certificate", "hr.career-guidance", "hr.policy-consultation",
            "hr.job-referral", "hr.employment-difficulty-recognition", "si.unemployment-benefit", "si.price-subsidy",
        ]);
        application.Fields["unemployment.reason"] = "contract-ended";
        // The HR system records the person's category by its Chinese name; the form sends the catalog's code.
        application.Fields["difficulty.category"] = person.DifficultyCategory switch
        {
            null or "低保家庭" => "dibao-family",
            "残疾人" => "disabled",
            "退役士兵" => "veteran",
            var other => other,
        };
        return application;
    }

    /// <summary>A Jiangsu 求职创业补贴 application by a student graduating in <paramref name="graduationYear"/>.</summary>
    public static Application Jiangsu(SimulatedPerson person, int graduationYear, DateOnly signedOn)
    {
        var application = Base(JiangsuTheme, person, signedOn);
        application.Delivery = null;
        application.Pledge = new Pledge { SignedDate = Date(signedOn), AcceptedPledges = { "seeking-work", "not-received-before", "not-employed", "materials-true" } };
        application.PaymentAccount = new PaymentAccount { BankName = person.BankName, AccountNumber = person.CardAccount ?? person.AccountNumber };
        application.SelectedItems.Add("hr.job-seeking-subsidy");
        application.GuideAnswers["is_graduating"] = "yes";
        application.GuideAnswers["student_category"] = person.StudentCategory ?? "dibao-family";
        application.GuideAnswers["has_jiangsu_card"] = person.HasJiangsuCard ? "yes" : "no";
        application.Fields["student.category"] = person.StudentCategory ?? "dibao-family";
        application.Fields["student.education"] = "bachelor";
        application.Fields["student.school"] = "南京大学";
        application.Fields["student.graduation_year"] = graduationYear.ToString(CultureInfo.InvariantCulture);
        application.Fields["student.graduate_type"] = "regular";
        application.Fields["student.number"] = "MF" + person.IdNumber[^8..];
        application.Fields["student.faculty"] = "商学院";
        application.Fields["student.major"] = "市场营销";
        application.Fields["household.division_code"] = person.ResidenceDivisionCode;
        application.Fields["household.address"] = person.ResidenceAddress;
        return application;
    }

    private static Application Base(string theme, SimulatedPerson person, DateOnly signedOn) => new()
    {
        Theme = theme,
        Applicant = new Applicant
        {
            Name = person.Name,
            Sex = person.Sex == "1" ? Sex.Male : Sex.Female,
            Ethnicity = person.Ethnicity,
            IdDocument = new IdDocument { Type = IdDocumentType.ResidentId, Number = person.IdNumber },
            Mobile = person.Mobile,
            Residence = new Address { DivisionCode = person.ResidenceDivisionCode, Detail = person.ResidenceAddress },
        },
        PaymentAccount = new PaymentAccount { BankName = person.BankName, AccountNumber = person.AccountNumber },
        Pledge = new Pledge { Accepted = true, SignedDate = Date(signedOn) },
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

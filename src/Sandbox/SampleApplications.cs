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
        var application = new Application
        {
            Theme = LuoyangTheme,
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
            Delivery = new Delivery
            {
                Method = DeliveryMethod.Mail,
                Address = new Address { DivisionCode = person.ResidenceDivisionCode, Detail = person.ResidenceAddress },
                Recipient = person.Name,
                RecipientMobile = person.Mobile,
            },
            Pledge = new Pledge { Accepted = true, SignedDate = signedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
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
}

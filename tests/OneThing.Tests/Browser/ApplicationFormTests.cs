using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OneThing.Hub.V1;
using OneThing.WebConsole.Internal;

namespace OneThing.Tests.Browser;

/// <summary>The console's form model without a browser: violations find their inputs; empty inputs stay out of the request.</summary>
public sealed class ApplicationFormTests
{
    private static readonly Theme Theme = new()
    {
        Name = "themes/t",
        Items = { new ThemeItem { Code = "a" }, new ThemeItem { Code = "b" } },
        Fields = { new FormField { Key = "licence.uscc" }, new FormField { Key = "subsidy.category" } },
        Questions = { new GuideQuestion { Code = "has_card" } },
    };

    [Theory]
    [InlineData("fields[licence.uscc]", "fields[licence.uscc]")]
    [InlineData("guide_answers[has_card]", "guide_answers[has_card]")]
    [InlineData("selected_items[3]", "selected_items")]
    [InlineData("applicant.residence", "applicant.residence")]
    [InlineData("applicant.residence.division_code", "applicant.residence.division_code")]
    [InlineData("payment_account", "payment_account")]
    [InlineData("fields[no.such.field]", "form")]
    [InlineData("request_id", "form")]
    public void SlotOf_HubFieldPath_FindsItsInputOrGroup(string path, string expected) =>
        Assert.Equal(expected, ApplicationForm.SlotOf(path, ApplicationForm.Slots(Theme)));

    [Fact]
    public void DomIds_FieldPaths_AreStableAndDistinct()
    {
        Assert.Equal("fields-licence-uscc", DomIds.For("fields[licence.uscc]"));
        Assert.Equal("applicant-id-document-number-error", DomIds.ErrorsFor("applicant.id_document.number"));
        Assert.Equal("work-applications-0a1b-items-si-flexible-pension-registration", "work-" + DomIds.For("applications/0a1b/items/si.flexible-pension-registration"));
    }

    [Fact]
    public void ToApplication_PostedForm_SexFromIdNumberAndEmptyInputsLeftOut()
    {
        var posted = new FormCollection(new Dictionary<string, StringValues>
        {
            ["theme"] = "themes/t",
            ["request_id"] = "r-1",
            ["applicant.name"] = " 张三 ",
            ["applicant.id_document.number"] = "11010519491231002x",
            ["applicant.mobile"] = "13800000000",
            ["selected_items"] = new(["b", "a", ""]),
            ["fields[licence.uscc]"] = "",
            ["fields[subsidy.category]"] = "veteran",
            ["guide_answers[has_card]"] = "no",
            ["delivery.method"] = "pickup",
            ["delivery.pickup_site"] = "市民之家",
            ["pledge.accepted"] = "true",
        });

        var form = ApplicationForm.Read(posted);
        var application = form.ToApplication(Theme, new DateOnly(2026, 3, 2));

        Assert.True(ResidentIdentity.IsWellFormed("11010519491231002X"));
        Assert.Equal("r-1", form.RequestId);
        Assert.Equal(("张三", Sex.Female, "11010519491231002X"), (application.Applicant.Name, application.Applicant.Sex, application.Applicant.IdDocument.Number));
        Assert.Equal(["a", "b"], application.SelectedItems);
        Assert.Equal(new Dictionary<string, string> { ["subsidy.category"] = "veteran" }, application.Fields);
        Assert.Equal("no", application.GuideAnswers["has_card"]);
        Assert.Null(application.Applicant.Residence);
        Assert.Null(application.PaymentAccount);
        Assert.Equal((DeliveryMethod.Pickup, "市民之家"), (application.Delivery.Method, application.Delivery.PickupSite));
        Assert.Equal((true, "2026-03-02"), (application.Pledge.Accepted, application.Pledge.SignedDate));
    }

    [Fact]
    public void CheckClerk_MissingIdAndNote_BothReported()
    {
        var form = ApplicationForm.Read(new FormCollection(new Dictionary<string, StringValues> { ["clerk.id"] = "张 三" }));

        Assert.Equal(["INVALID_CLERK_ID", "AUTHORISATION_REQUIRED"], form.CheckClerk().Select(v => v.Reason));
    }
}

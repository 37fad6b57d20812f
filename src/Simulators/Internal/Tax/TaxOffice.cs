using System.Globalization;
using Departments.Tax.V1;

namespace OneThing.Simulators.Internal.Tax;

/// <summary>
/// The tax system's decisions: confirms the taxpayer information of businesses the market regulation
/// feed knows. Called only under the simulator's lock.
/// </summary>
internal sealed class TaxOffice(SyntheticPopulation population, TimeProvider timeProvider)
{
    public const string Confirmed = "0000";
    public const string NoSuchBusiness = "1001";
    public const string NameMismatch = "1002";
    public const string NotOperating = "1003";
    public const string Malformed = "9999";
    public const string QueryFound = "0000";
    public const string QueryNotFound = "2001";

    private readonly Dictionary<string, ConfirmTaxpayerInfoResponse> byDocumentNo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfirmTaxpayerInfoResponse> bySerialNo = new(StringComparer.Ordinal);
    private int documentSequence;

    public Handled<ConfirmTaxpayerInfoResponse> Confirm(ConfirmTaxpayerInfoRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.BusinessSerialNo) || request.BusinessSerialNo.Length > 64)
        {
            return Refuse(Malformed, "业务流水号不能为空且不能超过64位");
        }

        if (string.IsNullOrWhiteSpace(request.TaxpayerName))
        {
            return Refuse(Malformed, "纳税人名称不能为空");
        }

        var uscc = request.Uscc.Trim().ToUpperInvariant();
        if (uscc.Length != 18)
        {
            return Refuse(Malformed, "统一社会信用代码应为18位");
        }

        var licence = population.FindLicence(uscc);
        if (licence is null)
        {
            return Refuse(NoSuchBusiness, "未在市场监管登记信息中查询到该统一社会信用代码");
        }

        if (!string.Equals(request.TaxpayerName.Trim(), licence.EntityName, StringComparison.Ordinal))
        {
            return Refuse(NameMismatch, "纳税人名称与登记名称不一致");
        }

        if (!string.Equals(licence.Status, LuoyangData.StatusOperating, StringComparison.Ordinal))
        {
            return Refuse(NotOperating, "该经营主体已注销或状态异常");
        }

        var now = ChinaTime.Now(timeProvider);
        documentSequence++;
        var documentNo = string.Create(CultureInfo.InvariantCulture, $"洛税确〔{now.Year}〕{documentSequence:D6}");
        var response = new ConfirmTaxpayerInfoResponse
        {
            ReturnCode = Confirmed,
            ReturnMessage = "纳税人信息确认成功",
            TaxpayerId = licence.Uscc,
            TaxAuthority = TaxAuthorityOf(licence.Uscc),
            DocumentNo = documentNo,
            ConfirmedAt = ChinaTime.Iso(now),
        };
        byDocumentNo.Add(documentNo, response);
        bySerialNo[request.BusinessSerialNo] = response;
        return new Handled<ConfirmTaxpayerInfoResponse>(response, CaseCreated: true, $"{Confirmed} {documentNo}");
    }

    public Handled<QueryConfirmationResponse> Query(QueryConfirmationRequest request)
    {
        // The document number wins; the serial number is the fallback the contract names.
        ConfirmTaxpayerInfoResponse? found = null;
        if (!string.IsNullOrWhiteSpace(request.DocumentNo))
        {
            found = byDocumentNo.GetValueOrDefault(request.DocumentNo.Trim());
        }
        else if (!string.IsNullOrWhiteSpace(request.BusinessSerialNo))
        {
            found = bySerialNo.GetValueOrDefault(request.BusinessSerialNo);
        }

        if (found is null)
        {
            var missing = new QueryConfirmationResponse { ReturnCode = QueryNotFound, ReturnMessage = "未查询到该确认记录" };
            return new Handled<QueryConfirmationResponse>(missing, CaseCreated: false, QueryNotFound);
        }

        var answer = new QueryConfirmationResponse
        {
            ReturnCode = QueryFound,
            ReturnMessage = "查询成功",
            Confirmation = found.Clone(),
        };
        return new Handled<QueryConfirmationResponse>(answer, CaseCreated: false, $"{QueryFound} {found.DocumentNo}");
    }

    private static string TaxAuthorityOf(string uscc)
    {
        var district = Regions.FindDistrict(uscc.Substring(2, 6));
        return district is null ? "国家税务总局洛阳市税务局" : $"国家税务总局{district.City}{district.Name}税务局";
    }

    private static Handled<ConfirmTaxpayerInfoResponse> Refuse(string code, string message) =>
        new(new ConfirmTaxpayerInfoResponse { ReturnCode = code, ReturnMessage = message }, CaseCreated: false, code);
}

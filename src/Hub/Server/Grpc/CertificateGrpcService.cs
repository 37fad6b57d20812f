using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;

namespace OneThing.Hub.Grpc;

/// <summary>Electronic certificates: an application's list, and verification by code (证照核验).</summary>
public sealed class CertificateGrpcService(HubDbContext db) : CertificateService.CertificateServiceBase
{
    private const int MaxCodeLength = 100;

    /// <inheritdoc />
    public override async Task<ListCertificatesResponse> ListCertificates(ListCertificatesRequest request, ServerCallContext context)
    {
        var id = ProtoMapping.ApplicationId(request.Parent)
            ?? throw Invalid("parent", "INVALID_NAME", "申请名称应为 applications/{id}");
        if (!await db.Applications.AnyAsync(a => a.Id == id, context.CancellationToken))
        {
            throw new HubNotFoundException(ErrorReasons.ApplicationNotFound, $"没有找到申请 applications/{id}");
        }

        var certificates = await db.Certificates.AsNoTracking().Where(c => c.ApplicationId == id).OrderBy(c => c.Id).ToListAsync(context.CancellationToken);
        var response = new ListCertificatesResponse();
        response.Certificates.Add(certificates.Select(c => ToProto(c, withCode: true)));
        return response;
    }

    /// <inheritdoc />
    public override async Task<Certificate> VerifyCertificate(VerifyCertificateRequest request, ServerCallContext context)
    {
        var code = request.VerificationCode.Trim();
        if (code.Length is 0 or > MaxCodeLength)
        {
            throw Invalid("verification_code", ViolationReasons.Required, $"请填写证照上的核验码（不超过{MaxCodeLength}个字符）");
        }

        var certificate = await db.Certificates.AsNoTracking().OrderBy(c => c.Id).FirstOrDefaultAsync(c => c.VerificationCode == code, context.CancellationToken)
            ?? throw new HubNotFoundException("CERTIFICATE_NOT_FOUND", "没有与该核验码对应的证照，请核对核验码；证照可能不是真实有效的");
        return ToProto(certificate, withCode: false);
    }

    private static Certificate ToProto(CertificateRecord c, bool withCode) => new()
    {
        Name = $"applications/{c.ApplicationId}/certificates/{c.ItemCode}",
        Title = c.Title,
        Number = c.Number,
        HolderName = c.HolderName,
        HolderIdNumber = c.HolderIdNumber,
        Issuer = c.Issuer,
        IssueDate = c.IssuedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
        VerificationCode = withCode ? c.VerificationCode : string.Empty,
        CreateTime = Timestamp.FromDateTimeOffset(c.CreatedAt),
    };

    private static HubRequestInvalidException Invalid(string field, string reason, string description) =>
        new(ErrorReasons.RequestInvalid, description, [new FieldViolation(field, reason, description)]);
}

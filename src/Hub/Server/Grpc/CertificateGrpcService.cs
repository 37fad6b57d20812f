using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using Microsoft.AspNetCore.Authorization;
using OneThing.Hub.Security;

namespace OneThing.Hub.Grpc;

/// <summary>Electronic certificates: an application's list, and verification by code (证照核验).</summary>
[Authorize(Roles = HubRoles.Readers)]
public sealed class CertificateGrpcService(HubDbContext db, ApplicationAccess access, PersonalDataProtector protector) : CertificateService.CertificateServiceBase
{
    private const int MaxCodeLength = 100;

    /// <inheritdoc />
    public override async Task<ListCertificatesResponse> ListCertificates(ListCertificatesRequest request, ServerCallContext context)
    {
        IQueryable<CertificateRecord> query;
        if (string.IsNullOrEmpty(request.Parent))
        {
            // "My certificates": every certificate the calling applicant holds, whatever the application.
            var caller = Caller.Of(context);
            query = caller.Is(HubRoles.Applicant) && caller.IdNumber is { Length: > 0 } own
                ? db.Certificates.AsNoTracking().OfHolder(protector.ApplicantIndex(own))
                : throw Invalid("parent", ViolationReasons.Required, "请指定申请 applications/{id}（只有申请人本人可列出“我的证照”）");
        }
        else
        {
            var id = ProtoMapping.ApplicationId(request.Parent)
                ?? throw Invalid("parent", "INVALID_NAME", "申请名称应为 applications/{id}");
            await access.GuardAsync(id, context);
            query = db.Certificates.AsNoTracking().Where(c => c.ApplicationId == id);
        }

        var certificates = await query.OrderBy(c => c.Id).ToListAsync(context.CancellationToken);
        if (certificates.Count > 0)
        {
            // Certificates name their holder: reading them is a read of personal data.
            await OneThing.Hub.Security.Audit.AuditTrail.RecordNowAsync(db, "certificate.read", "certificates",
                OneThing.Hub.Security.Audit.AuditTrail.Detail(("parent", request.Parent), ("count", certificates.Count.ToString(CultureInfo.InvariantCulture))), context.CancellationToken);
        }

        var response = new ListCertificatesResponse();
        response.Certificates.Add(certificates.Select(c => ToProto(c, withCode: true)));
        return response;
    }

    /// <inheritdoc />
    // Anyone holding a verification code may check the certificate it names (the holder is masked).
    [AllowAnonymous]
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

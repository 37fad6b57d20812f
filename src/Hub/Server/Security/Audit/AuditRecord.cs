using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OneThing.Hub.Security.Audit;

/// <summary>
/// One row of the audit log. Written once, in the transaction of the change it records (evidence
/// first); its chain columns (<see cref="Sequence"/>, <see cref="PreviousHash"/>, <see cref="Hash"/>)
/// are filled once, shortly after, by <see cref="AuditChainer"/>. Nothing in the hub updates or
/// deletes a row otherwise (<see cref="AuditInterceptor"/> refuses it).
/// </summary>
public sealed class AuditRecord
{
    /// <summary>The longest actor kept.</summary>
    public const int MaxActor = 200;

    /// <summary>The longest action kept.</summary>
    public const int MaxAction = 64;

    /// <summary>The longest resource kept.</summary>
    public const int MaxResource = 200;

    /// <summary>The longest origin kept.</summary>
    public const int MaxOrigin = 100;

    /// <summary>The longest detail kept.</summary>
    public const int MaxDetail = 2000;

    /// <summary>The insertion id (the database's); orders rows waiting to be chained, nothing else.</summary>
    public long Id { get; set; }

    /// <summary>When, as Unix milliseconds.</summary>
    public long At { get; set; }

    /// <summary>Who: <c>{role}:{sub}</c>, or <c>system:{worker}</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What, e.g. <c>application.submitted</c>, <c>application.read</c>.</summary>
    public required string Action { get; set; }

    /// <summary>Which resource, e.g. <c>applications/{id}</c>.</summary>
    public required string Resource { get; set; }

    /// <summary>From where: the peer address, or <c>internal</c>.</summary>
    public required string Origin { get; set; }

    /// <summary>Extra facts as compact JSON, masked: never a clear ID number, phone or account.</summary>
    public required string Detail { get; set; }

    /// <summary>The position in the chain, from 1 without gaps; null until chained.</summary>
    public long? Sequence { get; set; }

    /// <summary>The previous entry's hash (empty for the first); null until chained.</summary>
    public string? PreviousHash { get; set; }

    /// <summary>This entry's hash (<see cref="AuditChain"/>); null until chained.</summary>
    public string? Hash { get; set; }

    /// <summary>The entry as the hash chain sees it (only for chained rows).</summary>
    public AuditEntry ToEntry() =>
        new(Sequence ?? 0, At, Actor, Action, Resource, Origin, Detail, PreviousHash ?? string.Empty, Hash ?? string.Empty);
}

/// <summary>The audit table: <c>audit_log</c>, with a unique sequence (the database keeps the chain linear).</summary>
public sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Actor).HasMaxLength(AuditRecord.MaxActor);
        builder.Property(x => x.Action).HasMaxLength(AuditRecord.MaxAction);
        builder.Property(x => x.Resource).HasMaxLength(AuditRecord.MaxResource);
        builder.Property(x => x.Origin).HasMaxLength(AuditRecord.MaxOrigin);
        builder.Property(x => x.Detail).HasMaxLength(AuditRecord.MaxDetail);
        builder.Property(x => x.PreviousHash).HasMaxLength(64);
        builder.Property(x => x.Hash).HasMaxLength(64);

        // Two chainers (two replicas) that both try to append sequence n: the unique index lets one
        // commit and fails the other; the concurrency token makes a row chained by one chainer
        // untouchable by another (its UPDATE requires the sequence still to be NULL).
        builder.Property(x => x.Sequence).IsConcurrencyToken();
        builder.HasIndex(x => x.Sequence).IsUnique();
        builder.HasIndex(x => x.Resource);
    }
}

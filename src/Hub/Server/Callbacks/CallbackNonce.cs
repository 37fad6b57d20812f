using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OneThing.Hub.Callbacks;

/// <summary>
/// A nonce a department used in a signed callback. The unique (department, nonce) key is what refuses
/// a replay, on every replica at once; a row is kept until its callback's timestamp leaves the window
/// (<see cref="ExpiresAt"/>), after which a replay is refused as expired anyway, and is then purged.
/// </summary>
public sealed class CallbackNonce
{
    /// <summary>The longest nonce the scheme allows.</summary>
    public const int MaxNonceLength = 64;

    /// <summary>The row id.</summary>
    public long Id { get; set; }

    /// <summary>The signing department's stable name.</summary>
    public required string Department { get; set; }

    /// <summary>The nonce, as sent.</summary>
    public required string Nonce { get; set; }

    /// <summary>The id of the key that signed.</summary>
    public required string KeyId { get; set; }

    /// <summary>When the hub took the callback.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The callback's timestamp plus the window: from then on the row may go.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The nonce table: <c>callback_nonces</c>, unique on (department, nonce).</summary>
public sealed class CallbackNonceConfiguration : IEntityTypeConfiguration<CallbackNonce>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<CallbackNonce> builder)
    {
        builder.ToTable("callback_nonces");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Department).HasMaxLength(40);
        builder.Property(x => x.Nonce).HasMaxLength(CallbackNonce.MaxNonceLength);
        builder.Property(x => x.KeyId).HasMaxLength(64);
        builder.HasIndex(x => new { x.Department, x.Nonce }).IsUnique();
        builder.HasIndex(x => x.ExpiresAt);
    }
}

using Karibu.Data;
using Karibu.Features.Customers;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Payments;

/// <summary>
/// Money received through M-Pesa: a Daraja C2B confirmation, a forwarded confirmation SMS or (later) an STK
/// callback. The receipt (M-Pesa transaction code) is unique per business, so a replayed callback or a text
/// forwarded twice is stored once. Amounts are in minor units.
/// </summary>
internal sealed class Payment : TenantEntity
{
    public PaymentSource Source { get; set; }

    /// <summary>The M-Pesa transaction code (<c>TransID</c>, e.g. <c>TJU4ABC1DE</c>).</summary>
    public required string Receipt { get; set; }
    public long AmountCents { get; set; }
    public required string Currency { get; set; }
    public string? PayerName { get; set; }

    /// <summary>E.164, only when M-Pesa showed the whole number.</summary>
    public string? PayerPhone { get; set; }

    /// <summary>What was visible of a masked number (<c>2547 ***** 678</c>, <c>0712***678</c>).</summary>
    public string? PayerPhoneHint { get; set; }

    /// <summary>The SHA-256 MSISDN hash C2B v1 sends instead of the number.</summary>
    public string? PayerPhoneHash { get; set; }

    /// <summary>BillRefNumber (paybill account number) as typed by the payer.</summary>
    public string? AccountReference { get; set; }
    public DateTime PaidAt { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? VisitId { get; set; }
    public PaymentMatchMethod? MatchMethod { get; set; }

    /// <summary>
    /// A customer the payer probably is (masked number plus a name word, or the one appointment the amount and time
    /// fit): shown to the owner, never assigned alone.
    /// </summary>
    public Guid? SuggestedCustomerId { get; set; }

    /// <summary>What <see cref="SuggestedCustomerId"/> rests on; null when there is no suggestion.</summary>
    public SuggestionReason? SuggestionReason { get; set; }

    /// <summary>The callback body or SMS text exactly as received.</summary>
    public required string RawPayload { get; set; }
}

internal enum PaymentSource { C2b, Sms, Stk }

/// <summary>How a payment was tied to its customer.</summary>
internal enum PaymentMatchMethod
{
    /// <summary>The full phone number equals the customer's.</summary>
    Plain,

    /// <summary>The hashed MSISDN equals the hash of the customer's number.</summary>
    Hashed,

    /// <summary>The account number the payer typed is the customer's phone number.</summary>
    BillRef,

    /// <summary>The owner assigned it.</summary>
    Manual,
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public const int MaxRawPayload = 16_000;

    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.ToTable("payments");
        b.Property(p => p.Receipt).HasMaxLength(32);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.PayerName).HasMaxLength(Limits.Name);
        b.Property(p => p.PayerPhone).HasMaxLength(32);
        b.Property(p => p.PayerPhoneHint).HasMaxLength(64);
        b.Property(p => p.PayerPhoneHash).HasMaxLength(64);
        b.Property(p => p.AccountReference).HasMaxLength(Limits.Name);
        b.Property(p => p.RawPayload).HasMaxLength(MaxRawPayload);
        b.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Restrict);
        // Idempotency: one payment per M-Pesa transaction code per business.
        b.HasIndex(p => new { p.OrganizationId, p.Receipt }).IsUnique();
        // The owner's "not yet assigned" list and a customer's payments.
        b.HasIndex(p => new { p.OrganizationId, p.CustomerId });
    }
}

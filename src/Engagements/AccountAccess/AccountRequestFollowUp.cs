using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.AccountAccess;

public enum FollowUpKind
{
    Sent,
    // Method "ticket": the prepared ticket text went to the team lead(s); TicketFiled follows when they file it.
    TicketPrepared,
    TicketFiled,
    Reminder,
    Verified,
    Failing,
    EscalatedToTeamLead,
    EscalatedToCsm,
    CustomerFollowUpSent,
    Note,
    Closed,
}

public sealed class AccountRequestFollowUp
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AccountRequestId { get; set; }
    public AccountRequest AccountRequest { get; set; } = null!;
    public FollowUpKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public string? Note { get; set; }
    public string? ActorAadObjectId { get; set; }
    public string? ActorName { get; set; }
}

internal sealed class AccountRequestFollowUpConfiguration : IEntityTypeConfiguration<AccountRequestFollowUp>
{
    public void Configure(EntityTypeBuilder<AccountRequestFollowUp> followUp)
    {
        followUp.HasOne(f => f.AccountRequest).WithMany(r => r.FollowUps).HasForeignKey(f => f.AccountRequestId);
        followUp.HasIndex(f => new { f.AccountRequestId, f.At });
        followUp.Property(f => f.Note).HasMaxLength(2000);
        followUp.Property(f => f.ActorAadObjectId).HasMaxLength(64);
        followUp.Property(f => f.ActorName).HasMaxLength(200);
    }
}

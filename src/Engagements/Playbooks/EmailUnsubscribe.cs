using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Playbooks;

// An address that clicked the one-click unsubscribe link of a playbook email; playbooks send it nothing more.
public sealed class EmailUnsubscribe
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    // Lower-case, trimmed.
    public required string Email { get; set; }
    public Guid CustomerId { get; set; }
    public string? PlaybookId { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class EmailUnsubscribeConfiguration : IEntityTypeConfiguration<EmailUnsubscribe>
{
    public void Configure(EntityTypeBuilder<EmailUnsubscribe> unsubscribe)
    {
        unsubscribe.Property(u => u.Email).HasMaxLength(320);
        unsubscribe.Property(u => u.PlaybookId).HasMaxLength(64);
        unsubscribe.HasIndex(u => u.Email).IsUnique();
        unsubscribe.HasIndex(u => u.PlaybookId);
    }
}

using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagements.Conversations;

public enum ChannelPurpose
{
    [JsonStringEnumMemberName("approvals")] Approvals,
    [JsonStringEnumMemberName("alerts-customer-usage")] AlertsCustomerUsage,
    [JsonStringEnumMemberName("alerts-health")] AlertsHealth,
    [JsonStringEnumMemberName("escalations")] Escalations,
    [JsonStringEnumMemberName("standup")] Standup,
}

// "use this channel for {purpose}": one conversation per purpose; re-binding replaces it.
public sealed class ChannelBinding
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public ChannelPurpose Purpose { get; set; }
    public required string ConversationId { get; set; }
    public string? BoundByAadObjectId { get; set; }
    public DateTimeOffset BoundAt { get; set; }
}

internal sealed class ChannelBindingConfiguration : IEntityTypeConfiguration<ChannelBinding>
{
    public void Configure(EntityTypeBuilder<ChannelBinding> binding)
    {
        binding.HasIndex(b => b.Purpose).IsUnique();
        binding.Property(b => b.ConversationId).HasMaxLength(400);
        binding.Property(b => b.BoundByAadObjectId).HasMaxLength(64);
    }
}

using System.Security.Cryptography;

namespace Engagements.Testing;

/// <summary>An RSA key the <see cref="LoopbackIdentityProvider"/> can publish, with the channels it is endorsed for (null: no endorsements entry).</summary>
public sealed class TestSigningKey(string kid, IReadOnlyList<string>? endorsements = null) : IDisposable
{
    public string Kid { get; } = kid;

    public IReadOnlyList<string>? Endorsements { get; } = endorsements;

    public RSA Rsa { get; } = RSA.Create(2048);

    public void Dispose() => Rsa.Dispose();
}

namespace Engagements.BotFramework.Connector;

/// <summary>Decides which serviceUrls may receive the bot's token (notes §2: never send it anywhere else).</summary>
public static class ServiceUrlAllowList
{
    public static bool IsAllowed(Uri serviceUrl, ConnectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        ArgumentNullException.ThrowIfNull(options);

        if (!serviceUrl.IsAbsoluteUri)
        {
            return false;
        }

        var host = serviceUrl.IdnHost;
        if (serviceUrl.IsLoopback && options.IsAnonymous)
        {
            // The Agents Playground and local fakes live on localhost and run without an app id.
            return true;
        }

        if (!options.EffectiveAllowedServiceUrlHosts.Any(entry => Matches(host, entry)))
        {
            return false;
        }

        // A bearer token over plain http could be read on the wire; loopback traffic never leaves the machine.
        return serviceUrl.Scheme == Uri.UriSchemeHttps || serviceUrl.IsLoopback;
    }

    internal static bool Matches(string host, string entry)
    {
        entry = entry.Trim();
        if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            var suffix = entry[1..];
            return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(host, entry, StringComparison.OrdinalIgnoreCase);
    }
}

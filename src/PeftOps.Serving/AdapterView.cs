namespace PeftOps.Serving;

/// <summary>An adapter in <c>GET /v1/adapters</c>.</summary>
public sealed record AdapterView(string Name, string Version, string Stage, string Sha256, DateTimeOffset ServingSince)
{
    public static AdapterView Of(ServingSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return new AdapterView(slot.Adapter, slot.Version, slot.Stage, slot.Sha256, slot.ServingSince);
    }
}

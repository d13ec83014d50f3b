using System.Collections.Immutable;

namespace PeftOps.Serving;

/// <summary>The slot each adapter is served from. Readers see one whole snapshot; a swap replaces it at once.</summary>
public sealed class ServingTable
{
    private ImmutableSortedDictionary<string, ServingSlot> _slots = ImmutableSortedDictionary.Create<string, ServingSlot>(StringComparer.Ordinal);

    public IReadOnlyList<ServingSlot> Slots => [.. Volatile.Read(ref _slots).Values];

    public ServingSlot? Find(string adapter) => Volatile.Read(ref _slots).GetValueOrDefault(adapter);

    /// <summary>Puts <paramref name="slot"/> in its adapter's place; returns the slot it replaced, if any.</summary>
    public ServingSlot? Swap(ServingSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ServingSlot? previous = null;
        ImmutableInterlocked.Update(ref _slots, s =>
        {
            previous = s.GetValueOrDefault(slot.Adapter);
            return s.SetItem(slot.Adapter, slot);
        });
        return previous;
    }

    public ServingSlot? Remove(string adapter)
    {
        ServingSlot? previous = null;
        ImmutableInterlocked.Update(ref _slots, s =>
        {
            previous = s.GetValueOrDefault(adapter);
            return s.Remove(adapter);
        });
        return previous;
    }
}

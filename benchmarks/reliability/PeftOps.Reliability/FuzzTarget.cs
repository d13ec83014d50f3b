using CsCheck;
using PeftOps.Contracts;

namespace PeftOps.Reliability;

/// <summary>
/// One reader under fuzzing: how to make an input from a <see cref="PCG"/> (mutations of real, valid seed inputs,
/// sometimes pure random bytes) and how to feed it to the reader. An input is handled when the reader returns or
/// throws one of the documented exceptions (<see cref="InputException"/>: bad input, exit 2); anything else is a crash.
/// </summary>
internal sealed class FuzzTarget
{
    public required string Name { get; init; }

    /// <summary>The extension a saved input gets (<c>.safetensors</c>, <c>.yaml</c>, <c>.args</c>).</summary>
    public required string Extension { get; init; }

    /// <summary>Makes the input of one case.</summary>
    public required Func<PCG, byte[]> Generate { get; init; }

    /// <summary>Feeds one input to the reader; null when it was handled, else the exception that escaped.</summary>
    public required Func<byte[], Exception?> Run { get; init; }

    /// <summary>Mutations of <paramref name="corpus"/>: structural ones where <paramref name="structural"/> applies, then bytes.</summary>
    public static Func<PCG, byte[]> Mutating(
        IReadOnlyList<byte[]> corpus, IReadOnlyList<string> dictionary, Func<PCG, byte[], byte[]?>? structural = null, Func<PCG, byte[], byte[]>? fixUp = null)
    {
        if (corpus.Count == 0)
            throw new ArgumentException("a fuzz target needs at least one valid seed input", nameof(corpus));
        return pcg =>
        {
            var draw = pcg.Next(10);
            if (draw == 0)
                return Mutator.Random(pcg);
            var seed = corpus[(int)pcg.Next((uint)corpus.Count)];
            var input = draw <= 6 && structural is not null ? structural(pcg, seed) ?? seed : seed;
            if (draw >= 4 || ReferenceEquals(input, seed))
                input = Mutator.Havoc(pcg, input, corpus, dictionary);
            return fixUp is null || pcg.Next(4) == 0 ? input : fixUp(pcg, input);
        };
    }

    /// <summary>Runs <paramref name="read"/>: null when it returns or throws <see cref="InputException"/>.</summary>
    public static Exception? Handled(Action read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            read();
            return null;
        }
        catch (InputException)
        {
            return null;
        }
#pragma warning disable CA1031 // a fuzzer reports whatever escapes the reader
        catch (Exception e)
        {
            return e;
        }
#pragma warning restore CA1031
    }
}

using System.Text;
using CsCheck;

namespace PeftOps.Reliability;

/// <summary>
/// AFL-style byte mutations of a seed input (bit flips, interesting bytes, deletions, duplications, inserted random
/// bytes and dictionary tokens, truncation, splicing with another seed), each drawn from one <see cref="PCG"/>, so
/// a seed and a case number give the same input on every machine.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0, 0xFF, 0x7F, 0x80, 0xC0, 0xED, 0xEF, 0xBB, 0xBF, (byte)'"', (byte)'\\', (byte)'\n', (byte)'\r', (byte)'\t', (byte)' ', (byte)',', (byte)':', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'-', (byte)'0', (byte)'9'];

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[1, 24];

    /// <summary>Pure random bytes, 0 to 512 of them.</summary>
    public static byte[] Random(PCG pcg) => Gen.Byte.Array[0, 512].Generate(pcg, null, out _);

    /// <summary>One to eight byte-level mutations of <paramref name="input"/>.</summary>
    public static byte[] Havoc(PCG pcg, byte[] input, IReadOnlyList<byte[]> corpus, IReadOnlyList<string> dictionary)
    {
        var bytes = new List<byte>(input);
        var rounds = 1 + (int)pcg.Next(8);
        for (var round = 0; round < rounds; round++)
        {
            var at = bytes.Count == 0 ? 0 : (int)pcg.Next((uint)bytes.Count);
            switch (pcg.Next(9))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << (int)pcg.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Interesting[pcg.Next((uint)Interesting.Length)];
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + (int)pcg.Next(32)));
                    break;
                case 3 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, 1 + (int)pcg.Next(64));
                    bytes.InsertRange((int)pcg.Next((uint)bytes.Count + 1), bytes.GetRange(at, length));
                    break;
                case 4:
                    bytes.InsertRange(at, RandomBytes.Generate(pcg, null, out _));
                    break;
                case 5 or 6 when dictionary.Count > 0:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(dictionary[(int)pcg.Next((uint)dictionary.Count)]));
                    break;
                case 7 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 8 when corpus.Count > 0:
                    var other = corpus[(int)pcg.Next((uint)corpus.Count)];
                    var from = other.Length == 0 ? 0 : (int)pcg.Next((uint)other.Length);
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(other.AsSpan(from).ToArray());
                    break;
                default:
                    break;
            }
        }
        return [.. bytes];
    }
}

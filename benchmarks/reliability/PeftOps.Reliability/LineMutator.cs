using System.Text;
using CsCheck;

namespace PeftOps.Reliability;

/// <summary>
/// Line-level mutations of a text format (YAML, JSONL, CSV, TSV): lines deleted, duplicated, swapped, re-indented,
/// or the value after a separator replaced by a dictionary token, so that most lines stay well-formed.
/// </summary>
internal static class LineMutator
{
    private static readonly char[] Separators = [':', ',', '\t', '='];

    public static byte[] Mutate(PCG pcg, byte[] input, IReadOnlyList<string> dictionary)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n').ToList();
        var rounds = 1 + (int)pcg.Next(4);
        for (var round = 0; round < rounds && lines.Count > 0; round++)
        {
            var at = (int)pcg.Next((uint)lines.Count);
            switch (pcg.Next(6))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert((int)pcg.Next((uint)lines.Count + 1), lines[at]);
                    break;
                case 2:
                    var other = (int)pcg.Next((uint)lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                    lines[at] = pcg.Next(2) == 0 ? "  " + lines[at] : lines[at].TrimStart();
                    break;
                default:
                    var line = lines[at];
                    var cut = line.IndexOfAny(Separators, line.Length == 0 ? 0 : (int)pcg.Next((uint)line.Length));
                    if (cut < 0)
                        cut = line.IndexOfAny(Separators);
                    var token = dictionary[(int)pcg.Next((uint)dictionary.Count)];
                    lines[at] = cut < 0 ? token : line[..(cut + 1)] + " " + token + (pcg.Next(2) == 0 ? "" : line[(cut + 1)..]);
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }
}

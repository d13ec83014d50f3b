using System.Globalization;
using System.Text;

namespace PeftOps.Modeling.Tokenization.Unicode;

/// <summary>
/// Unicode normalization (NFD, NFC, NFKD and NFKC, UAX #15) without ICU: <see cref="string.Normalize()"/>
/// leaves non-ASCII text unchanged in globalization-invariant mode, which PeftOps runs in (GPU runners have
/// no ICU). The data is <c>canonical.txt</c> beside this file, made from Python's <c>unicodedata</c>.
/// </summary>
public static class CanonicalNormalizer
{
    private const int HangulBase = 0xAC00, HangulCount = 11172, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
    private const int LeadCount = 19, VowelCount = 21, TrailCount = 28;

    private static readonly Tables Data = Tables.Load();

    /// <summary>Canonical decomposition, marks in canonical order.</summary>
    public static string Nfd(string text) => IsPlainAscii(text) ? text : ToString(Decompose(text, compatibility: false));

    /// <summary>Canonical decomposition followed by canonical composition.</summary>
    public static string Nfc(string text) => IsPlainAscii(text) ? text : ToString(Compose(Decompose(text, compatibility: false)));

    /// <summary>Compatibility decomposition (ligatures, full-width forms, superscripts... spelled out), marks in canonical order.</summary>
    public static string Nfkd(string text) => IsPlainAscii(text) ? text : ToString(Decompose(text, compatibility: true));

    /// <summary>Compatibility decomposition followed by canonical composition.</summary>
    public static string Nfkc(string text) => IsPlainAscii(text) ? text : ToString(Compose(Decompose(text, compatibility: true)));

    private static bool IsPlainAscii(string text) => Ascii.IsValid(text);

    private static List<int> Decompose(string text, bool compatibility)
    {
        var output = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
            AppendDecomposed(output, rune.Value, compatibility);
        // canonical ordering: each run of non-starters sorted by combining class, stably
        for (var i = 1; i < output.Count; i++)
        {
            var cp = output[i];
            var cls = Class(cp);
            if (cls == 0)
                continue;
            var j = i;
            while (j > 0 && Class(output[j - 1]) > cls)
            {
                output[j] = output[j - 1];
                j--;
            }
            output[j] = cp;
        }
        return output;
    }

    private static void AppendDecomposed(List<int> output, int cp, bool compatibility)
    {
        if (cp is >= HangulBase and < HangulBase + HangulCount)
        {
            var index = cp - HangulBase;
            output.Add(LeadBase + index / (VowelCount * TrailCount));
            output.Add(VowelBase + index % (VowelCount * TrailCount) / TrailCount);
            if (index % TrailCount != 0)
                output.Add(TrailBase + index % TrailCount);
            return;
        }
        if (Data.Decompositions.TryGetValue(cp, out var parts) || (compatibility && Data.Compatibility.TryGetValue(cp, out parts)))
        {
            foreach (var part in parts)
                AppendDecomposed(output, part, compatibility);
            return;
        }
        output.Add(cp);
    }

    private static List<int> Compose(List<int> decomposed)
    {
        var output = new List<int>(decomposed.Count);
        var starter = -1;
        var lastClass = -1;
        foreach (var cp in decomposed)
        {
            var cls = Class(cp);
            // a mark composes with the last starter unless something between them blocks it:
            // a starter, or a mark of the same or a higher class
            var blocked = starter < 0 || (output.Count - 1 != starter && (lastClass == 0 || lastClass >= cls));
            if (!blocked && TryCompose(output[starter], cp, out var composite))
            {
                output[starter] = composite;
                continue;
            }
            if (cls == 0)
                starter = output.Count;
            lastClass = cls;
            output.Add(cp);
        }
        return output;
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if (first is >= LeadBase and < LeadBase + LeadCount && second is >= VowelBase and < VowelBase + VowelCount)
        {
            composite = HangulBase + ((first - LeadBase) * VowelCount + second - VowelBase) * TrailCount;
            return true;
        }
        if (first is >= HangulBase and < HangulBase + HangulCount && (first - HangulBase) % TrailCount == 0
            && second is > TrailBase and < TrailBase + TrailCount)
        {
            composite = first + second - TrailBase;
            return true;
        }
        return Data.Compositions.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    private static int Class(int cp) => Data.Classes.TryGetValue(cp, out var cls) ? cls : 0;

    private static string ToString(List<int> codePoints)
    {
        var builder = new StringBuilder(codePoints.Count);
        foreach (var cp in codePoints)
            builder.Append(new Rune(cp).ToString());
        return builder.ToString();
    }

    private sealed record Tables(
        Dictionary<int, int[]> Decompositions, Dictionary<int, int[]> Compatibility, Dictionary<int, int> Classes, Dictionary<long, int> Compositions)
    {
        public static Tables Load()
        {
            var decompositions = new Dictionary<int, int[]>();
            var compatibility = new Dictionary<int, int[]>();
            var classes = new Dictionary<int, int>();
            var excluded = new HashSet<int>();
            using var stream = typeof(CanonicalNormalizer).Assembly.GetManifestResourceStream("PeftOps.Modeling.Tokenization.Unicode.canonical.txt")
                ?? throw new InvalidOperationException("canonical.txt is not embedded in PeftOps.Modeling");
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith('#'))
                    continue;
                var fields = line.Split(' ');
                var cp = Hex(fields[1]);
                switch (fields[0])
                {
                    case "d":
                        decompositions[cp] = fields[2..].Select(Hex).ToArray();
                        break;
                    case "k":
                        compatibility[cp] = fields[2..].Select(Hex).ToArray();
                        break;
                    case "c":
                        classes[cp] = int.Parse(fields[2], CultureInfo.InvariantCulture);
                        break;
                    case "x":
                        excluded.Add(cp);
                        break;
                }
            }
            var compositions = decompositions
                .Where(d => d.Value.Length == 2 && !excluded.Contains(d.Key))
                .ToDictionary(d => ((long)d.Value[0] << 21) | (uint)d.Value[1], d => d.Key);
            return new Tables(decompositions, compatibility, classes, compositions);
        }

        private static int Hex(string text) => int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}

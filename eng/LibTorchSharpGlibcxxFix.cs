using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Rewrites the GLIBCXX_3.4.32 version-needed entry of libLibTorchSharp.so to GLIBCXX_3.4.30
// when the system libstdc++ does not provide GLIBCXX_3.4.32. Idempotent: a patched file no
// longer names GLIBCXX_3.4.32 and is left alone.
public sealed class PatchLibTorchSharpGlibcxx : Task
{
    private const string Wanted = "GLIBCXX_3.4.32";
    private const string Available = "GLIBCXX_3.4.30";
    private const uint ShtGnuVerneed = 0x6ffffffe;

    [Required]
    public string[] Directories { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        if (SystemProvides(Wanted))
            return true;

        foreach (var dir in Directories.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (Patch(path))
                        Log.LogMessage(MessageImportance.High, $"libLibTorchSharp: {Wanted} -> {Available} in {path} (system libstdc++ lacks {Wanted})");
                }
                catch (Exception e)
                {
                    Log.LogError($"{path}: could not rewrite its {Wanted} requirement: {e.Message}");
                }
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemProvides(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var found = candidates.FirstOrDefault(File.Exists);
        if (found is null)
            return true; // nothing to compare with: leave the library as shipped
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        return IndexOf(File.ReadAllBytes(found), needle, 0) >= 0;
    }

    private static bool Patch(string path)
    {
        // Break a hard link to the NuGet cache before writing.
        var bytes = File.ReadAllBytes(path);
        if (IndexOf(bytes, Encoding.ASCII.GetBytes(Wanted + "\0"), 0) < 0)
            return false;
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");

        ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3a);
        int shnum = BitConverter.ToUInt16(bytes, 0x3c);
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(bytes, sh + 4) != ShtGnuVerneed)
                continue;
            int offset = checked((int)BitConverter.ToUInt64(bytes, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(bytes, sh + 0x28);
            int info = (int)BitConverter.ToUInt32(bytes, sh + 0x2c);
            int strtab = checked((int)BitConverter.ToUInt64(bytes, checked((int)shoff + link * shentsize) + 0x18));

            int vn = offset;
            for (int n = 0; n < info; n++)
            {
                int cnt = BitConverter.ToUInt16(bytes, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(bytes, vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    int nameOffset = strtab + (int)BitConverter.ToUInt32(bytes, aux + 8);
                    if (ReadCString(bytes, nameOffset) == Wanted)
                    {
                        // Elf64_Vernaux: vna_hash(4) vna_flags(2) vna_other(2) vna_name(4) vna_next(4)
                        BitConverter.GetBytes(ElfHash(Available)).CopyTo(bytes, aux);
                        Encoding.ASCII.GetBytes(Available).CopyTo(bytes, nameOffset);
                        changed = true;
                    }
                    aux += (int)BitConverter.ToUInt32(bytes, aux + 12);
                }
                vn += (int)BitConverter.ToUInt32(bytes, vn + 12);
            }
        }
        if (!changed)
            return false;
        var temp = path + ".patching";
        File.WriteAllBytes(temp, bytes);
        File.Delete(path);
        File.Move(temp, path);
        return true;
    }

    private static string ReadCString(byte[] bytes, int offset)
    {
        int end = Array.IndexOf(bytes, (byte)0, offset);
        return Encoding.ASCII.GetString(bytes, offset, end - offset);
    }

    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start)
    {
        for (int i = start; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}

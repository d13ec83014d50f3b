using PeftOps.TestSupport;

namespace PeftOps.Contracts.Tests;

/// <summary>The one temp-file-then-rename writer: whole or nothing, and no temporary left behind.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("peftops-atomic");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Text_bytes_and_streams_replace_the_file_and_leave_no_temporary()
    {
        var path = _dir.Combine("out.json");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllText(path, "héllo\n");
        Assert.Equal("héllo\n"u8.ToArray(), File.ReadAllBytes(path));

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));

        AtomicFile.Write(path, stream => stream.Write("streamed"u8));
        Assert.Equal("streamed", File.ReadAllText(path));
        Assert.Equal(["out.json"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_that_fails_part_way_leaves_the_old_file_and_no_temporary()
    {
        var path = _dir.Combine("out.jsonl");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("killed");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["out.jsonl"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_is_moved_into_place_whole_and_its_parent_created()
    {
        var folder = _dir.Combine("a", "gate");

        AtomicFile.WriteDirectory(folder, temp =>
        {
            Assert.False(Directory.Exists(folder));
            File.WriteAllText(Path.Combine(temp, "report.md"), "# report");
        }, ExistingFolder.ReplaceFiles);

        Assert.Equal("# report", File.ReadAllText(Path.Combine(folder, "report.md")));
        Assert.Equal(["gate"], Directory.GetFileSystemEntries(_dir.Combine("a")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(ExistingFolder.ReplaceFiles, "new", true)]
    [InlineData(ExistingFolder.Keep, "old", false)]
    public void Over_an_existing_folder_the_mode_decides(ExistingFolder mode, string expected, bool added)
    {
        var folder = _dir.Combine("cache");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.txt"), "old");
        File.WriteAllText(Path.Combine(folder, "only-old.txt"), "kept");

        AtomicFile.WriteDirectory(folder, temp =>
        {
            File.WriteAllText(Path.Combine(temp, "a.txt"), "new");
            File.WriteAllText(Path.Combine(temp, "b.txt"), "new");
        }, mode);

        Assert.Equal(expected, File.ReadAllText(Path.Combine(folder, "a.txt")));
        Assert.Equal(added, File.Exists(Path.Combine(folder, "b.txt")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(folder, "only-old.txt")));
        Assert.Equal(["cache"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_whose_filling_fails_is_not_put_in_place()
    {
        var folder = _dir.Combine("gate");

        Assert.Throws<OperationCanceledException>(() => AtomicFile.WriteDirectory(folder, temp =>
        {
            File.WriteAllText(Path.Combine(temp, "report.md"), "# report");
            throw new OperationCanceledException();
        }, ExistingFolder.ReplaceFiles));

        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }
}

using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.TestSupport;
using PeftOps.Training.Data;

namespace PeftOps.Training.Tests;

public sealed class DataFileTests
{
    [Fact]
    public void Csv_cells_may_be_quoted_across_lines_and_errors_name_the_line_a_record_starts_on()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("data.csv");
        File.WriteAllText(path, "text,category\r\n\"My card, the blue one\",card_arrival\r\n\"\nit \"\"broke\"\"\",card_not_working\r\nno label here\r\n");

        var error = Assert.Throws<InputException>(() => DataFile.ReadLabeled(path));
        File.WriteAllText(path, "text,category\r\n\"My card, the blue one\",card_arrival\r\n\"\nit \"\"broke\"\"\",card_not_working\r\n");
        var rows = DataFile.ReadLabeled(path);

        Assert.Equal($"{path}:5: expected 2 columns, found 1", error.Message);
        Assert.Equal([new LabeledText("My card, the blue one", "card_arrival", 2), new LabeledText("it \"broke\"", "card_not_working", 3)], rows);
    }

    [Fact]
    public void A_jsonl_line_that_is_not_json_is_named()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("data.jsonl");
        File.WriteAllText(path, "{\"text\": \"hi\", \"label\": \"greet\"}\n{\"text\": \"oops\"\n");

        var error = Assert.Throws<InputException>(() => DataFile.ReadLabeled(path));

        Assert.StartsWith($"{path}:2: not a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_bad_input()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("empty.jsonl");
        File.WriteAllText(path, "\n");

        Assert.Equal($"{path}: no examples (expected one per line)", Assert.Throws<InputException>(() => DataFile.ReadLabeled(path)).Message);
    }

    [Fact]
    public void A_json_file_of_splits_is_read_one_split_at_a_time_and_hashed_whole()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("data_full.json");
        File.WriteAllText(path, """{"train": [["what is my balance", "balance"], ["book a flight", "book_flight"]], "oos_train": [["tell me a joke", "oos"]], "bad": [["only text"], [3, "x"]]}""");

        Assert.Equal([new LabeledText("what is my balance", "balance", 1), new LabeledText("book a flight", "book_flight", 2)], DataFile.ReadLabeled(path + "#train"));
        Assert.Equal([new LabeledText("tell me a joke", "oos", 1)], DataFile.ReadLabeled(path + "#oos_train", labelRequired: false));
        Assert.Equal(DataFile.Sha256(path), DataFile.Sha256(path + "#train"));
        Assert.Equal($"{path}#bad:1: label missing (expected [text, label])", Assert.Throws<InputException>(() => DataFile.ReadLabeled(path + "#bad")).Message);
        Assert.Equal($"{path}#test: no list 'test' in the file (expected an object of splits; its keys: train, oos_train, bad)",
            Assert.Throws<InputException>(() => DataFile.ReadLabeled(path + "#test")).Message);
        Assert.Equal(("notes.txt#x", (string?)null), DataReference.Parse("notes.txt#x"));
    }
}

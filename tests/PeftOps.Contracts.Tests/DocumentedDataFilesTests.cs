using System.Text.Json.Nodes;

namespace PeftOps.Contracts.Tests;

/// <summary>data.json against docs/data-json.md, and gate.json's data section against docs/gate-json.md.</summary>
public partial class DocumentedFilesTests
{
    [Fact]
    public void data_json_reads_and_writes_its_documented_example_byte_for_byte()
    {
        var example = JsonExample("data-json.md") + "\n";

        var report = DataReportJson.Parse(example, "docs/data-json.md");

        Assert.Equal(example, DataReportJson.Serialize(report));
        Assert.Equal("promo_code", Assert.Single(report.LabelErrors).Suggested);
        Assert.Equal(20, report.Imbalance[1].Ratio);
        Assert.Equal(DataDiff.Ran, report.Diff!.Status);
    }

    [Fact]
    public void data_json_keys_are_the_documented_ones_in_order()
    {
        var written = JsonNode.Parse(JsonExample("data-json.md"))!.AsObject();

        Assert.Equal(TableKeys("data-json.md", "## Keys"), written.Select(p => p.Key));
    }

    [Fact]
    public void a_data_json_of_another_schema_is_an_input_error_naming_it()
    {
        var json = JsonExample("data-json.md").Replace("peftops.data/v1", "peftops.data/v0", StringComparison.Ordinal);

        var error = Assert.Throws<InputException>(() => DataReportJson.Parse(json, "d.json"));

        Assert.Equal("d.json: schema is 'peftops.data/v0', expected 'peftops.data/v1'", error.Message);
    }
}

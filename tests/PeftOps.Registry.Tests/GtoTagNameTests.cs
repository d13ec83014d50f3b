namespace PeftOps.Registry.Tests;

public sealed class GtoTagNameTests
{
    [Theory]
    [InlineData("support-intents@v1.2.3", GtoAction.Register, "v1.2.3", null, null)]
    [InlineData("support-intents@v1.2.3-rc.1", GtoAction.Register, "v1.2.3-rc.1", null, null)]
    [InlineData("support-intents@v1.2.3!#4", GtoAction.Deregister, "v1.2.3", null, 4)]
    [InlineData("support-intents#production#7", GtoAction.Assign, null, "production", 7)]
    [InlineData("support-intents#production!#8", GtoAction.Unassign, null, "production", 8)]
    [InlineData("support-intents@deprecated#9", GtoAction.Deprecate, null, null, 9)]
    [InlineData("support-intents#staging", GtoAction.Assign, null, "staging", null)]
    public void Reads_and_writes_gto_tag_names(string tag, GtoAction action, string? version, string? stage, int? counter)
    {
        var parsed = GtoTagName.TryParse(tag);

        Assert.Equal(new GtoTagName("support-intents", action, version, stage, counter), parsed);
        Assert.Equal(tag, parsed!.ToString());
    }

    [Theory]
    [InlineData("v1.2.3")]
    [InlineData("support-intents@1.2.3")]
    [InlineData("Support@v1.0.0")]
    [InlineData("support-intents#production#x")]
    [InlineData("support-intents@v1.2")]
    public void Ignores_tags_outside_the_grammar(string tag) => Assert.Null(GtoTagName.TryParse(tag));

    [Theory]
    [InlineData("1.2.0", "v1.2.0")]
    [InlineData("v1.2.0", "v1.2.0")]
    [InlineData("1.2", null)]
    [InlineData("latest", null)]
    public void Normalizes_versions_to_gto_form(string input, string? expected) => Assert.Equal(expected, GtoTagName.NormalizeVersion(input));
}

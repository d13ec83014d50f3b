using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.Registry.Tests;

public sealed class RegistryLocationTests : IDisposable
{
    private readonly TempDirectory _repo = new();

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void Defaults_to_the_folder_under_the_repository()
    {
        var location = RegistryLocation.Resolve(null, _repo.Path, NoEnvironment);

        Assert.Equal(("file://.peftops/registry", "default"), (location.Uri, location.Source));
        Assert.Equal(_repo.Combine(".peftops", "registry"), ((FolderArtifactStore)location.OpenStore()).Root);
    }

    [Fact]
    public void Reads_the_setting_from_peftops_yaml_and_lets_the_environment_and_the_option_override_it()
    {
        File.WriteAllText(_repo.Combine("peftops.yaml"), "# PeftOps settings\nregistry: file://shared/registry\nother: 1\n");

        var fromFile = RegistryLocation.Resolve(null, _repo.Path, NoEnvironment);
        var fromEnvironment = RegistryLocation.Resolve(null, _repo.Path, n => n == "PEFTOPS_REGISTRY" ? "azure://acct/adapters" : null);
        var fromOption = RegistryLocation.Resolve("file:///srv/registry", _repo.Path, n => n == "PEFTOPS_REGISTRY" ? "azure://acct/adapters" : null);

        Assert.Equal(_repo.Combine("shared", "registry"), ((FolderArtifactStore)fromFile.OpenStore()).Root);
        Assert.Equal(("azure://acct/adapters", "PEFTOPS_REGISTRY"), (fromEnvironment.Uri, fromEnvironment.Source));
        Assert.Equal("/srv/registry", ((FolderArtifactStore)fromOption.OpenStore()).Root);
    }

    [Fact]
    public void An_unknown_scheme_is_refused_naming_where_it_came_from()
    {
        File.WriteAllText(_repo.Combine("peftops.yaml"), "registry: s3://bucket\n");

        var error = Assert.Throws<InputException>(() => RegistryLocation.Resolve(null, _repo.Path, NoEnvironment));

        Assert.Equal($"{_repo.Combine("peftops.yaml")}: registry is 's3://bucket', expected file://PATH or azure://ACCOUNT/CONTAINER", error.Message);
    }

    [Theory]
    [InlineData("azure://acct;AccountKey=s3cr3t/c", "a connection string (not shown)")]
    [InlineData("azure://Acct/adapters", "'azure://Acct/adapters'")]
    [InlineData("azure://acct/a", "'azure://acct/a'")]
    public void An_azure_address_that_azure_cannot_have_is_refused_and_a_key_in_it_is_not_shown(string uri, string shown)
    {
        var error = Assert.Throws<InputException>(() => RegistryLocation.Resolve(uri, _repo.Path, NoEnvironment));

        Assert.StartsWith($"--registry: registry is {shown}, expected file://PATH or azure://ACCOUNT/CONTAINER", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_azure_address_without_a_connection_string_uses_the_account_url()
    {
        var store = RegistryLocation.Resolve("azure://peftopsprod/adapters", _repo.Path, NoEnvironment).OpenStore();

        Assert.Equal("azure://peftopsprod/adapters", store.Location);
    }

    public void Dispose() => _repo.Dispose();
}

using Azure.Identity;
using Azure.Storage.Blobs;
using PeftOps.Contracts;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Registry;

/// <summary>
/// Where the artifact store is: <c>--registry</c>, else <c>PEFTOPS_REGISTRY</c>, else <c>registry:</c> in the
/// repository's <c>peftops.yaml</c>, else <c>file://.peftops/registry</c>. <c>file://PATH</c> is relative to the
/// repository root unless absolute; <c>azure://ACCOUNT/CONTAINER</c> uses the connection string in
/// <c>PEFTOPS_AZURE_STORAGE_CONNECTION_STRING</c> when set, else <c>https://ACCOUNT.blob.core.windows.net</c> and
/// Azure.Identity's default credential.
/// </summary>
public sealed partial record RegistryLocation(string Uri, string Source, string RepositoryRoot, Func<string, string?> Environment)
{
    public const string DefaultUri = "file://.peftops/registry";
    public const string EnvironmentVariable = "PEFTOPS_REGISTRY";
    public const string ConnectionStringVariable = "PEFTOPS_AZURE_STORAGE_CONNECTION_STRING";

    public static RegistryLocation Resolve(string? option, string repositoryRoot, Func<string, string?>? environment = null)
    {
        environment ??= System.Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(option))
            return Checked(new(option, "--registry", repositoryRoot, environment));
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return Checked(new(fromEnvironment, EnvironmentVariable, repositoryRoot, environment));
        var settings = Path.Combine(repositoryRoot, "peftops.yaml");
        if (ReadSetting(settings) is { } fromFile)
            return Checked(new(fromFile, settings, repositoryRoot, environment));
        return new(DefaultUri, "default", repositoryRoot, environment);
    }

    public IArtifactStore OpenStore()
    {
        if (Uri.StartsWith("file://", StringComparison.Ordinal))
            return new FolderArtifactStore(Path.GetFullPath(Path.Combine(RepositoryRoot, Uri["file://".Length..])));
        var (account, container) = AzureParts();
        if (Environment(ConnectionStringVariable) is { Length: > 0 } connectionString)
        {
            try
            {
                return new AzureBlobArtifactStore(new BlobContainerClient(connectionString, container));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InputException($"{ConnectionStringVariable}: not a valid Azure Storage connection string (expected DefaultEndpointsProtocol=...;AccountName=...;AccountKey=... or a SAS; its value is not shown)", e);
            }
        }
        var containerUri = new Uri($"https://{account}.blob.core.windows.net/{container}");
        return new AzureBlobArtifactStore(new BlobContainerClient(containerUri, new DefaultAzureCredential()));
    }

    /// <summary>True for a <c>file://</c> store inside the repository's checkout.</summary>
    public bool IsInsideCheckout
    {
        get
        {
            if (!Uri.StartsWith("file://", StringComparison.Ordinal))
                return false;
            var folder = Path.GetFullPath(Path.Combine(RepositoryRoot, Uri["file://".Length..]));
            var root = Path.GetFullPath(RepositoryRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            return folder.StartsWith(root, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Refuses, on GitHub Actions, to write to a folder inside the checkout: the next job's checkout removes it,
    /// so tags would be pushed while their files vanish.
    /// </summary>
    public void RequireDurable()
    {
        if (Environment("GITHUB_ACTIONS") == "true" && IsInsideCheckout)
            throw new InputException(
                $"{Source}: registry is {Uri}, a folder inside this checkout, which GitHub Actions removes after the job; "
                + $"set the repository variable {EnvironmentVariable} to azure://ACCOUNT/CONTAINER (docs/registry.md) or to a file:// folder outside the checkout");
    }

    private (string Account, string Container) AzureParts()
    {
        var parts = Uri["azure://".Length..].Split('/');
        return (parts[0], parts[1]);
    }

    private static RegistryLocation Checked(RegistryLocation location)
    {
        var uri = location.Uri;
        if (uri.StartsWith("file://", StringComparison.Ordinal) && uri.Length > "file://".Length)
            return location;
        if (uri.StartsWith("azure://", StringComparison.Ordinal))
        {
            // Azure's own rules: an account is 3-24 lowercase letters and digits, a container 3-63 of those and '-'
            var parts = uri["azure://".Length..].Split('/');
            if (parts.Length == 2 && AccountName().IsMatch(parts[0]) && ContainerName().IsMatch(parts[1]))
                return location;
        }
        var shown = LooksLikeSecret(uri) ? "a connection string (not shown)" : $"'{uri}'";
        throw new InputException($"{location.Source}: registry is {shown}, expected file://PATH or azure://ACCOUNT/CONTAINER"
            + (LooksLikeSecret(uri) ? $"; put a connection string in {ConnectionStringVariable}, never on the command line" : ""));
    }

    private static bool LooksLikeSecret(string value) =>
        value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
        || value.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase)
        || value.Contains("sig=", StringComparison.OrdinalIgnoreCase);

    private static string? ReadSetting(string file)
    {
        if (SettingsYaml.Root(file) is not { } root)
            return null;
        foreach (var (key, value) in root.Children)
        {
            if (key is YamlScalarNode { Value: "registry" })
            {
                return value is YamlScalarNode { Value: { Length: > 0 } text }
                    ? text
                    : throw new InputException($"{file}:{value.Start.Line}: registry must be a string (file://PATH or azure://ACCOUNT/CONTAINER)");
            }
        }
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial System.Text.RegularExpressions.Regex AccountName();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial System.Text.RegularExpressions.Regex ContainerName();
}

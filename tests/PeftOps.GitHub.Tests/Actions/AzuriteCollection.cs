using PeftOps.TestSupport;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>One Azurite, started by the test run, as the artifact store of the workflows the harness runs.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

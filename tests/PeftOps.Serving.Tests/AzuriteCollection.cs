using PeftOps.TestSupport;

namespace PeftOps.Serving.Tests;

/// <summary>One Azurite, started by the test run, for the tests that serve from blob storage.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

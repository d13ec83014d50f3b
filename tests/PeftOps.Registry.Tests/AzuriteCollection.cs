using PeftOps.TestSupport;

namespace PeftOps.Registry.Tests;

/// <summary>One Azurite for every test class that needs blob storage.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

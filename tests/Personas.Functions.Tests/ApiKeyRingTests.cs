using Personas.Api.Auth;

namespace Personas.Functions.Tests;

public sealed class ApiKeyRingTests
{
    [Fact]
    public void Parses_keys_to_owners_and_rejects_unknown_keys()
    {
        var ring = ApiKeyRing.Parse(" key-one-0123456789=alice ; key-two-0123456789=bob ");
        Assert.Equal("alice", ring.OwnerOf("key-one-0123456789"));
        Assert.Equal("bob", ring.OwnerOf("key-two-0123456789"));
        Assert.Null(ring.OwnerOf("key-three-012345678"));
        Assert.Null(ring.OwnerOf(""));
    }

    [Fact]
    public void Short_keys_work_as_in_the_documented_example_and_are_counted_for_a_warning()
    {
        var ring = ApiKeyRing.Parse("key1=alice;key2=bob");
        Assert.Equal("alice", ring.OwnerOf("key1"));
        Assert.Equal("bob", ring.OwnerOf("key2"));
        Assert.Equal(2, ring.ShortKeyCount);
    }

    [Theory]
    [InlineData("key with space 0123456789=alice")]
    [InlineData("no-owner-0123456789=")]
    [InlineData("just-a-key-0123456789")]
    [InlineData("key-one-0123456789=al ice")]
    [InlineData("key-one-0123456789=alice;key-one-0123456789=bob")]
    public void Malformed_setting_fails_without_echoing_the_key(string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiKeyRing.Parse(setting));
        Assert.DoesNotContain("0123456789", error.Message);
    }
}

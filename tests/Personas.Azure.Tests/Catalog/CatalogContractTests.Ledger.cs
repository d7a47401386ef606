using static Personas.Azure.Tests.Catalog.CatalogSamples;

namespace Personas.Azure.Tests.Catalog;

public abstract partial class CatalogContractTests
{
    [Fact]
    public async Task The_first_claim_stands()
    {
        var instance = NewId("instance");
        var first = await Ledger.ClaimAsync(instance, "owner-1", "hash-1", Epoch);

        var second = await Ledger.ClaimAsync(instance, "owner-2", null, Epoch.AddMinutes(1));

        Assert.Equal(new Domain.Stores.InstanceClaim(instance, "owner-1", "hash-1", Epoch), first);
        Assert.Equal(first, second);
        Assert.Equal(first, await Ledger.FindClaimAsync(instance));
        Assert.Null(await Ledger.FindClaimAsync(NewId("instance")));
    }

    [Fact]
    public async Task Concurrent_claims_agree_on_one_owner()
    {
        var instance = NewId("instance");

        var claims = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(() =>
            Ledger.ClaimAsync(instance, $"owner-{i}", null, Epoch))));

        Assert.Single(claims.Distinct());
    }

    [Fact]
    public async Task Owned_names_only_the_owners_claimed_instances()
    {
        var mine = NewId("instance");
        var theirs = NewId("instance");
        await Ledger.ClaimAsync(mine, "owner-me", null, Epoch);
        await Ledger.ClaimAsync(theirs, "owner-them", null, Epoch);

        var owned = await Ledger.OwnedAsync("owner-me", [mine, theirs, NewId("instance"), mine]);

        Assert.Equal([mine], owned);
        Assert.Empty(await Ledger.OwnedAsync("owner-me", []));
    }

    [Fact]
    public async Task An_event_is_recorded_once_until_forgotten()
    {
        var instance = NewId("instance");

        Assert.True(await Ledger.TryRecordEventAsync(instance, "approval/1#a"));
        Assert.False(await Ledger.TryRecordEventAsync(instance, "approval/1#a"));
        Assert.True(await Ledger.TryRecordEventAsync(NewId("instance"), "approval/1#a"));
        await Ledger.ForgetEventAsync(instance, "approval/1#a");

        Assert.True(await Ledger.TryRecordEventAsync(instance, "approval/1#a"));
    }

    [Fact]
    public async Task Forgetting_an_instance_drops_its_claim_and_events_only()
    {
        var instance = NewId("instance");
        var other = NewId("instance");
        await Ledger.ClaimAsync(instance, "owner-1", null, Epoch);
        await Ledger.ClaimAsync(other, "owner-1", null, Epoch);
        Assert.True(await Ledger.TryRecordEventAsync(instance, "e1"));
        Assert.True(await Ledger.TryRecordEventAsync(other, "e1"));

        await Ledger.ForgetInstanceAsync(instance);

        Assert.Null(await Ledger.FindClaimAsync(instance));
        Assert.True(await Ledger.TryRecordEventAsync(instance, "e1"));
        Assert.NotNull(await Ledger.FindClaimAsync(other));
        Assert.False(await Ledger.TryRecordEventAsync(other, "e1"));
        Assert.Equal("owner-2", (await Ledger.ClaimAsync(instance, "owner-2", null, Epoch)).Owner);
    }
}

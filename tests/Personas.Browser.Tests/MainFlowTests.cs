using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Personas.Functions.Tests;
using Personas.TestPhotos;
using static Microsoft.Playwright.Assertions;

namespace Personas.Browser.Tests;

/// <summary>
/// The dashboard's main flow in chromium against the real host: sign in, create a persona, upload the test faces,
/// train with live progress, see the version, generate posts, approve one and schedule it on the calendar. Saves
/// desktop and 390 px screenshots on the way.
/// </summary>
public sealed class MainFlowTests(DashboardHost host, Browser browser)
    : IClassFixture<DashboardHost>, IClassFixture<Browser>
{
    private static readonly string[] Faces = ["obama.jpg", "obama2.jpg", "biden.jpg"];
    private static readonly LocatorAssertionsToBeVisibleOptions Long = new() { Timeout = 120_000 };

    [Fact]
    public async Task A_creator_goes_from_photos_to_a_scheduled_post()
    {
        var (page, errors) = await browser.OpenAsync(host.BaseAddress, 1280, 900);
        await SignInAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "New persona" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Dana Example");
        await page.GetByLabel("Trigger word").FillAsync("zqxdana");
        foreach (var consent in new[] { "Facial recognition", "Training an AI model", "Using their likeness",
                     "Keeping their photos" })
            await page.GetByLabel(consent).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create persona" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dana Example" })).ToBeVisibleAsync();

        // Two through the file picker; the third, another man, dropped on the drop zone and refused with its reason.
        await page.Locator("#photo-files").SetInputFilesAsync(Faces[..2].Select(Face));
        await Expect(page.Locator(".intake li")).ToHaveCountAsync(2);
        await DropAsync(page, Face(Faces[2]));
        await Expect(page.Locator(".intake li")).ToHaveTextAsync(
            [new Regex($"^{Faces[2]}: refused. The face does not look like the persona's other photos")]);
        var photos = page.GetByRole(AriaRole.List, new() { Name = "Photos" });
        await Expect(photos.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(photos.GetByText("Sharpness").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "photos");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start training" }).ClickAsync();
        var progress = page.Locator("#training-progress progress");
        await Expect(progress).ToBeVisibleAsync(Long);
        await Expect(page.Locator("#training-progress .percent"))
            .ToHaveTextAsync(new Regex("^[1-9][0-9]?%$"), new() { Timeout = 60_000 });
        await Screenshots.SaveAsync(page, "training");
        var versions = page.Locator("section[aria-labelledby=versions-title]");
        await Expect(versions.GetByRole(AriaRole.Heading, new() { Name = "Version 1" })).ToBeVisibleAsync(Long);
        await Screenshots.SaveAsync(page, "persona");

        await page.GetByRole(AriaRole.Link, new() { Name = "Posts", Exact = true }).ClickAsync();
        await page.GetByLabel("Project title").FillAsync("Shipping weekly");
        await page.GetByLabel("Transcript").FillAsync(await File.ReadAllTextAsync(Transcript()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        var queue = page.GetByRole(AriaRole.List, new() { Name = "Posts" });
        await Expect(queue.GetByText("Awaiting Approval")).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        await Screenshots.SaveAsync(page, "posts");

        await queue.GetByRole(AriaRole.Link).Filter(new() { HasText = "Carousel" }).ClickAsync();
        await Expect(page.Locator(".slides img").First).ToBeVisibleAsync();
        await page.GetByLabel("Hook").FillAsync("Ship a little every week");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new revision" }).ClickAsync();
        await Expect(page.Locator(".hook")).ToHaveTextAsync("Ship a little every week");
        await Screenshots.SaveAsync(page, "post");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(page.Locator("h1 + .badge")).ToHaveTextAsync("Staged", new() { Timeout = 60_000 });

        await page.GetByRole(AriaRole.Link, new() { Name = "Schedule" }).ClickAsync();
        var tomorrow = DateTime.UtcNow.Date.AddDays(1);
        if (tomorrow.Month != DateTime.UtcNow.Month) await page.GetByLabel("Next month").ClickAsync();
        await page.GetByLabel($"Schedule on {tomorrow:dddd d MMMM}").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Calendar" })).ToBeVisibleAsync();
        if (tomorrow.Month != DateTime.UtcNow.Month) await page.GetByLabel("Next month").ClickAsync();
        await Expect(page.Locator(".chip.scheduled")).ToHaveTextAsync("09:00 Carousel");
        await Screenshots.SaveAsync(page, "calendar");
        Assert.Empty(errors);

        await NarrowScreenshotsAsync();
    }

    /// <summary>The same screens at 390 px (a phone), in a new tab that signs in again.</summary>
    private async Task NarrowScreenshotsAsync()
    {
        var (page, errors) = await browser.OpenAsync(host.BaseAddress, 390, 844);
        await SignInAsync(page);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dana Example" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "mobile-personas");
        await page.GetByRole(AriaRole.Link, new() { Name = "Posts", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.List, new() { Name = "Posts" }).GetByRole(AriaRole.Link)
            .Filter(new() { HasText = "Carousel" }).ClickAsync();
        await Expect(page.Locator(".slides img").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "mobile-post");
        await page.GetByRole(AriaRole.Link, new() { Name = "Calendar" }).ClickAsync();
        await Expect(page.Locator(".month")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "mobile-calendar");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 390 px screen");
        Assert.Empty(errors);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync(ApiHost.AliceKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Personas", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Drops a file on the drop zone as a browser does: a drop event carrying it in a DataTransfer.</summary>
    private static async Task DropAsync(IPage page, string file)
    {
        var transfer = await page.EvaluateHandleAsync("""
            ([name, base64]) => {
              const transfer = new DataTransfer();
              const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
              transfer.items.add(new File([bytes], name, { type: 'image/jpeg' }));
              return transfer;
            }
            """, new[] { Path.GetFileName(file), Convert.ToBase64String(await File.ReadAllBytesAsync(file)) });
        await page.Locator(".drop").DispatchEventAsync("drop", new { dataTransfer = transfer });
    }

    private static string Face(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", "faces", name);

    private static string Transcript() =>
        Path.Combine(TestEnvironment.RepositoryRoot, "tests", "testdata", "transcripts", "building-in-public.txt");
}

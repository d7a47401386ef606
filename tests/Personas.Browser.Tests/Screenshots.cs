using Microsoft.Playwright;

namespace Personas.Browser.Tests;

/// <summary>
/// Full-page screenshots into the test output (screenshots/dashboard-NAME.png); docs/images holds a set copied from
/// there by hand.
/// </summary>
internal static class Screenshots
{
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory,
        "screenshots")).FullName;

    /// <remarks>
    /// Without the passing toast, which a full-page picture would pin over unrelated content. It is emptied through
    /// the DOM: Playwright's screenshot Style option injects a style sheet, which the page's CSP refuses.
    /// </remarks>
    public static async Task SaveAsync(IPage page, string name)
    {
        await page.EvaluateAsync("document.getElementById('notice').replaceChildren()");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"dashboard-{name}.png"),
            FullPage = true });
    }
}

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

    public static Task SaveAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"dashboard-{name}.png"),
            FullPage = true });
}

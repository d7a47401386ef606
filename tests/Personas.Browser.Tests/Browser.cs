using Microsoft.Playwright;

namespace Personas.Browser.Tests;

/// <summary>
/// Debian's chromium (apt package <c>chromium</c>, which ./personas installs) driven by Playwright's node driver.
/// Playwright's own browser builds are never downloaded: the executable is given. PERSONAS_CHROMIUM overrides it.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("PERSONAS_CHROMIUM") is { Length: > 0 } chosen
            ? chosen
            : "/usr/bin/chromium";

    private IPlaywright _playwright = null!;
    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"No chromium at {Executable}: run ./personas test (it installs " +
                "Debian's chromium) or set PERSONAS_CHROMIUM.");
        // CI runs every test project at once on two cores: a page may take seconds to settle.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // Containers and CI give /dev/shm 64 MB, which chromium outgrows.
            Args = ["--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh tab of this size, with its own sessionStorage, recording each error the page logs.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(Uri address, int width, int height)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // Script errors and CSP refusals; not the browser's note on each non-2xx fetch (a 404 the page handles).
        page.Console += (_, message) =>
        {
            if (message.Type == "error"
                && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                errors.Add(message.Text);
        };
        page.PageError += (_, error) => errors.Add(error);
        return (page, errors);
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}

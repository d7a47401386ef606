using System.Globalization;

namespace Personas.Api.Hosting;

/// <summary>Price settings written as <c>provider=price;provider=price</c>, in USD.</summary>
public static class PriceList
{
    public static IReadOnlyDictionary<string, decimal> Parse(string setting)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in setting.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            if (pair.Length == 2 && decimal.TryParse(pair[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var price))
                prices[pair[0].Trim()] = price;
        return prices;
    }
}

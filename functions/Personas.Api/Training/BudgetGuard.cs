using Personas.Domain.Stores;
using Personas.Api.Problems;

namespace Personas.Api.Training;

/// <summary>Refuses work whose estimate would take the persona's or the owner's ledger over its budget, before anything is spent.</summary>
internal static class BudgetGuard
{
    public static async Task<IResult?> RefuseAsync(HttpContext http, ICatalog catalog, string owner, string personaId, decimal estimate, string what,
        decimal? personaBudget, decimal? ownerBudget)
    {
        if (personaBudget is { } budget)
        {
            var spent = (await catalog.ListCostsAsync(owner, personaId, http.RequestAborted)).Sum(c => c.EstimatedUsd);
            if (spent + estimate > budget)
                return ProblemWriter.Invalid(http, "budgetUsd", $"{what} is estimated at ${estimate:0.00}; with ${spent:0.00} already spent on this persona that is over the budget of ${budget:0.00}.");
        }
        if (ownerBudget is { } cap)
        {
            var spent = await catalog.OwnerSpentUsdAsync(owner, http.RequestAborted);
            if (spent + estimate > cap)
                return ProblemWriter.Result(http, 402, "Budget exceeded",
                    $"{what} is estimated at ${estimate:0.00}; with ${spent:0.00} already spent by this account that is over its budget of ${cap:0.00} (Personas:Training:OwnerBudgetUsd).", "ownerBudgetUsd");
        }
        return null;
    }
}

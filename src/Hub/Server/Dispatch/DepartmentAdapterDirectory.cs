using OneThing.Adapters;
using OneThing.Hub.Catalog;

namespace OneThing.Hub.Dispatch;

/// <summary>Finds the adapter that carries a catalog item to its department.</summary>
public sealed class DepartmentAdapterDirectory
{
    private readonly Dictionary<string, IDepartmentAdapter> _byItem = new(StringComparer.Ordinal);

    /// <summary>Indexes the adapters by item code; two adapters claiming one item is a configuration error.</summary>
    public DepartmentAdapterDirectory(IEnumerable<IDepartmentAdapter> adapters)
    {
        foreach (var adapter in adapters)
        {
            foreach (var code in adapter.ItemCodes)
            {
                if (!_byItem.TryAdd(code, adapter))
                {
                    throw new InvalidOperationException($"two adapters claim item '{code}': {_byItem[code].GetType().Name} and {adapter.GetType().Name}");
                }
            }
        }
    }

    /// <summary>The adapter for an item, or null.</summary>
    public IDepartmentAdapter? For(string itemCode) => _byItem.GetValueOrDefault(itemCode);

    /// <summary>Returns the catalog items no adapter can carry, as "theme/item" strings.</summary>
    public IReadOnlyList<string> Uncovered(CatalogSnapshot catalog) =>
        catalog.LatestThemes.SelectMany(t => t.Items.Where(i => !_byItem.ContainsKey(i.Code)).Select(i => $"{t.Code}/{i.Code}")).ToList();
}

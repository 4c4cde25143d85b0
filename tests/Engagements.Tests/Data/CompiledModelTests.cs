using Engagements.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Engagements.Tests.Data;

// The app runs on compiled models (fast start); these tests fail when one no longer matches the model the entity
// classes and configurations build, which would otherwise silently drop a new property at run time.
public sealed class CompiledModelTests
{
    private const string Fix = "The compiled EF Core model is out of date: run scripts/compile-ef-models.sh.";

    [Fact]
    public void The_Sqlite_compiled_model_matches_the_model_the_code_builds()
    {
        using var db = new SqliteEngagementsDb(new DbContextOptionsBuilder<SqliteEngagementsDb>().UseSqlite("Data Source=:memory:").Options);

        AssertSame(db, CompiledModel.Find(typeof(SqliteEngagementsDb)));
    }

    [Fact]
    public void The_Postgres_compiled_model_matches_the_model_the_code_builds()
    {
        using var db = new PostgresEngagementsDb(new DbContextOptionsBuilder<PostgresEngagementsDb>().UseNpgsql("Host=unused").Options);

        AssertSame(db, CompiledModel.Find(typeof(PostgresEngagementsDb)));
    }

    [Fact]
    public void Comparing_leaves_the_app_s_compiled_model_as_the_app_uses_it()
    {
        using var db = new SqliteEngagementsDb(new DbContextOptionsBuilder<SqliteEngagementsDb>().UseSqlite("Data Source=:memory:").Options);
        var shared = CompiledModel.Find(typeof(SqliteEngagementsDb))!;

        AssertSame(db, shared);

        using var app = new SqliteEngagementsDb(new DbContextOptionsBuilder<SqliteEngagementsDb>().UseSqlite("Data Source=:memory:").UseModel(shared).Options);
        Assert.NotEmpty(app.Model.GetRelationalModel().Tables);
    }

    // The generated model, built again the way its static constructor builds the shared instance.
    private static IModel FreshInstanceOf(IModel compiled)
    {
        var model = (RuntimeModel)Activator.CreateInstance(compiled.GetType(), nonPublic: true)!;
        compiled.GetType().GetMethod("Initialize", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.Invoke(model, null);
        // EF1001: an infrastructure API, used here as the generated code uses it.
#pragma warning disable EF1001
        return model.FinalizeModel();
#pragma warning restore EF1001
    }

    private static void AssertSame(EngagementsDb db, IModel? compiled)
    {
        Assert.True(compiled is not null, $"There is no compiled model for {db.GetType().Name}: run scripts/compile-ef-models.sh.");
        var built = db.GetService<IDesignTimeModel>().Model;
        // Initialized for design time, with the relational model (tables and columns) the comparison needs, but on an
        // instance of its own: the app's static instance is shared by every host this test process runs at the same
        // time, and a design-time initialization of it makes their first queries fail ("The requested configuration is
        // not stored in the read-optimized model", "The annotation 'Relational:DefaultMappings' cannot be added").
        compiled = db.GetService<IModelRuntimeInitializer>().Initialize(FreshInstanceOf(compiled), designTime: true, validationLogger: null);

        var expected = Describe(built);
        var actual = Describe(compiled);
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(
            missing.Count == 0 && extra.Count == 0,
            $"{Fix}{Environment.NewLine}Only in the code's model:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}" +
            $"{Environment.NewLine}Only in the compiled model:{Environment.NewLine}{string.Join(Environment.NewLine, extra)}");
    }

    // Everything of the mapping that the app depends on at run time, one line per fact, in a stable order.
    private static List<string> Describe(IModel model)
    {
        var text = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.Add($"{entity.Name} -> {entity.GetTableName()} base={entity.BaseType?.Name} filters={entity.GetDeclaredQueryFilters().Count}");
            foreach (var property in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                text.Add(
                    $"{entity.ShortName()}.{property.Name}: {property.ClrType.Name} null={property.IsNullable} column={property.GetColumnName()} type={property.GetColumnType()} " +
                    $"max={property.GetMaxLength()} converter={property.GetValueConverter()?.GetType().Name} " +
                    $"concurrency={property.IsConcurrencyToken} generated={property.ValueGenerated} default={property.GetDefaultValueSql()}");
            }

            foreach (var key in entity.GetKeys().OrderBy(k => k.ToString(), StringComparer.Ordinal))
            {
                text.Add($"{entity.ShortName()} key {string.Join(",", key.Properties.Select(p => p.Name))} primary={key.IsPrimaryKey()}");
            }

            foreach (var foreignKey in entity.GetForeignKeys().OrderBy(k => k.ToString(), StringComparer.Ordinal))
            {
                text.Add(
                    $"{entity.ShortName()} fk {string.Join(",", foreignKey.Properties.Select(p => p.Name))} -> {foreignKey.PrincipalEntityType.Name} " +
                    $"delete={foreignKey.DeleteBehavior} required={foreignKey.IsRequired}");
            }

            foreach (var index in entity.GetIndexes().OrderBy(i => i.ToString(), StringComparer.Ordinal))
            {
                text.Add($"{entity.ShortName()} index {string.Join(",", index.Properties.Select(p => p.Name))} unique={index.IsUnique} filter={index.GetFilter()}");
            }

            foreach (var navigation in entity.GetNavigations().Cast<INavigationBase>().Concat(entity.GetSkipNavigations()).OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                text.Add($"{entity.ShortName()} navigation {navigation.Name} -> {navigation.TargetEntityType.Name} collection={navigation.IsCollection}");
            }
        }

        return text;
    }
}

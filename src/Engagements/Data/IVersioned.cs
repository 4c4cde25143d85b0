namespace Engagements.Data;

// An optimistic-concurrency token the code increments on every save (EngagementsDb.SaveChanges), so the same
// "UPDATE ... WHERE Version = @original" works on SQLite and PostgreSQL alike (xmin would be PostgreSQL-only).
public interface IVersioned
{
    long Version { get; set; }
}

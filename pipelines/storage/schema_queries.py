"""The schema: its version and the migrations that bring it to the code's."""

from __future__ import annotations

from pipelines.storage.dialect import Dialect, first, utc_now
from pipelines.storage.migrations import migrations_for


class SchemaQueries(Dialect):
    def schema_version(self) -> int:
        with self.transaction() as tx:
            if not self.has_table(tx, "schema_migrations"):
                return 0
            row = tx.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            return first(row) or 0

    def migrate(self) -> list[int]:
        applied = []
        with self.transaction(exclusive=True) as tx:
            tx.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            row = tx.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            current = first(row) or 0
            for migration in migrations_for(self.name):
                if migration.version <= current:
                    continue
                for statement in _statements(migration.sql):
                    tx.execute(statement)
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_now()),
                )
                applied.append(migration.version)
        return applied


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]

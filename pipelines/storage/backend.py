"""`SQLBackend`: every table group's queries over one dialect, the class that the SQLite
and PostgreSQL backends subclass."""

from __future__ import annotations

from pipelines.storage.article_queries import ArticleQueries
from pipelines.storage.dialect import Dialect
from pipelines.storage.export_queries import ExportQueries
from pipelines.storage.read_queries import ReadQueries
from pipelines.storage.run_queries import RunQueries
from pipelines.storage.schema_queries import SchemaQueries
from pipelines.storage.story_queries import StoryQueries
from pipelines.storage.translation_queries import TranslationQueries


class SQLBackend(
    SchemaQueries,
    ArticleQueries,
    TranslationQueries,
    RunQueries,
    StoryQueries,
    ReadQueries,
    ExportQueries,
    Dialect,
):
    """All the queries, written once with `?` placeholders; a subclass supplies the
    dialect (connection, transactions, value adaptation)."""

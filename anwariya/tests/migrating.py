"""Tests that move the test database along the migrations, to check a migration keeps the data."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to ``targets``; the models as they stand there."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state([node for node in loader.applied_migrations if node in loader.graph.nodes]).apps


def latest():
    """The newest migration of every app: where a test leaves the database."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()

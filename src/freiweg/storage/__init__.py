"""Everything SQL: engine, tables, repositories, read-model queries and Alembic migrations."""

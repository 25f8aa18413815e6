"""Settings: safe defaults for the demo, and no start with default secrets in production."""

from __future__ import annotations

import pytest

from freiweg.settings import Settings, UnsafeSettings


def test_the_default_database_is_an_sqlite_file_under_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FREIWEG_DATABASE_URL", raising=False)
    assert str(Settings().sqlite_path()) == "data/freiweg.db"


def test_settings_come_from_freiweg_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREIWEG_PORT", "9001")
    monkeypatch.setenv("FREIWEG_DATABASE_URL", "postgresql+psycopg://u@h/db")
    settings = Settings()
    assert settings.port == 9001
    assert settings.sqlite_path() is None


def test_a_server_outside_demo_mode_refuses_the_default_secret() -> None:
    with pytest.raises(UnsafeSettings, match="FREIWEG_SECRET_KEY"):
        Settings(demo=False).refuse_default_secrets()
    Settings(demo=True).refuse_default_secrets()
    Settings(demo=False, secret_key="a-real-secret-of-good-length").refuse_default_secrets()

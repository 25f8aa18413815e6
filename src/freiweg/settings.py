"""One settings class, read from FREIWEG_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me"


class UnsafeSettings(RuntimeError):
    """Raised when freiweg would start outside demo mode with a default secret."""


class Settings(BaseSettings):
    """Everything an operator can set; defaults run a local demo on embedded SQLite."""

    model_config = SettingsConfigDict(env_prefix="FREIWEG_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///data/freiweg.db",
        description="SQLAlchemy URL; sqlite:///path (default, under ./data/) or postgresql+psycopg://...",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    demo: bool = Field(default=False, description="Demo mode: data on every page is labelled demo.")
    secret_key: str = Field(
        default=DEFAULT_SECRET,
        description="Server secret for signing; must be changed outside demo mode.",
    )
    timezone: str = "Europe/Berlin"
    public_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = Field(default=2_000_000, description="Largest accepted upload body.")
    max_counts_per_request: int = 10_000
    stale_after_intervals: float = Field(
        default=2.0, description="A sensor is silent after this many expected intervals."
    )
    log_level: str = "info"

    def refuse_default_secrets(self) -> None:
        """Raise UnsafeSettings when a server would start outside demo mode with a default secret."""
        if not self.demo and self.secret_key == DEFAULT_SECRET:
            raise UnsafeSettings(
                "FREIWEG_SECRET_KEY still has its default value; set it to a long random string "
                "(for example `python -c 'import secrets; print(secrets.token_urlsafe(32))'`) "
                "or set FREIWEG_DEMO=1 for a demo."
            )

    def sqlite_path(self) -> Path | None:
        """Return the SQLite file path of the database URL, or None for other databases."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url[len(prefix) :]
            return None if rest in ("", ":memory:") else Path(rest)
        return None

"""One settings class, read from FREIWEG_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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
    holiday_country: str = Field(default="DE", description="Country whose public holidays forecasts know.")
    holiday_state: str | None = Field(
        default="BY", description="State (subdivision) for public and school holidays, e.g. BY for Bavaria."
    )
    public_url: str = "http://127.0.0.1:8000"
    tile_url: str = Field(
        default="",
        description="Map tiles for the pages' maps ({z}/{x}/{y}), e.g. a city's tile server; "
        "empty (default, nothing fetched from elsewhere): areas on a plain background.",
    )
    tile_attribution: str = Field(
        default="© OpenStreetMap contributors", description="Attribution shown with the map tiles."
    )
    max_body_bytes: int = Field(default=2_000_000, description="Largest accepted upload body.")
    max_counts_per_request: int = 10_000
    stale_after_intervals: float = Field(
        default=2.0, description="A sensor is silent after this many expected intervals."
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses of the reverse proxies in front of `freiweg serve` (comma-separated, or *) "
        "whose X-Forwarded-For names the client for the flood guard; empty: the connection's address.",
    )
    log_level: str = "info"
    log_format: Literal["json", "text"] = Field(
        default="json",
        description="The server's log lines: one JSON object per line (json) or plain text for development.",
    )
    ttn_secret: str | None = Field(
        default=None,
        description="Value of the X-Freiweg-Secret header TTN webhooks must send; unset refuses them.",
    )
    chirpstack_secret: str | None = Field(
        default=None,
        description="Value of the X-Freiweg-Secret header ChirpStack must send; unset refuses it.",
    )
    operator_token: str | None = Field(
        default=None,
        description="Bearer token for the operator API (calibration sessions); unset refuses writes.",
    )
    log_key: str | None = Field(
        default=None,
        description="Ed25519 key that signs transparency-log checkpoints: PRIVATE+KEY+... text or a file "
        "holding it (`freiweg log keygen` makes one); demo mode generates one under the data folder.",
    )
    log_origin: str | None = Field(
        default=None, description="The log's name in checkpoints; default <public_url host>/freiweg-log."
    )
    operator_name: str = Field(default="Stadt Bamberg", description="Who is accountable for the sensors.")
    operator_contact: str = Field(default="smartcity@example.org", description="How to reach the operator.")
    privacy_officer: str = Field(
        default="datenschutz@example.org", description="How to reach the data protection officer."
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for alert e-mails; unset: none.")
    smtp_port: int = Field(default=25, description="Port of the SMTP server.")
    smtp_from: str = Field(default="freiweg@localhost", description="Sender address of alert e-mails.")
    metrics_token: str | None = Field(
        default=None, description="Bearer token Prometheus sends for /metrics; unset refuses scrapes."
    )
    retention_minute_count_days: int = Field(
        default=90, ge=1, description="Days one-minute counts are kept; hourly aggregates are kept."
    )
    jobs: Literal["on", "off"] = Field(
        default="on",
        description="Run the alert check, housekeeping and forecast refresh inside `freiweg serve` "
        "(off: schedule the separate commands with system timers instead).",
    )
    alert_check_seconds: int = Field(default=60, ge=1, description="Seconds between alert checks.")
    housekeeping_at: str = Field(
        default="03:30",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="Local time (HH:MM) of the daily housekeeping run.",
    )
    forecast_refresh_seconds: int = Field(
        default=3600, ge=1, description="Seconds between forecast refreshes (with the forecast extra)."
    )

    def refuse_default_secrets(self) -> None:
        """Raise UnsafeSettings when a server would start outside demo mode with a default secret."""
        if not self.demo and self.secret_key == DEFAULT_SECRET:
            raise UnsafeSettings(
                "FREIWEG_SECRET_KEY still has its default value; set it to a long random string "
                "(for example `python -c 'import secrets; print(secrets.token_urlsafe(32))'`) "
                "or set FREIWEG_DEMO=1 for a demo."
            )

    def refuse_missing_log_key(self) -> None:
        """Raise UnsafeSettings when a server would start outside demo mode without a log signing key."""
        if not self.demo and not self.log_key:
            raise UnsafeSettings(
                "FREIWEG_LOG_KEY is not set; create a checkpoint signing key with `freiweg log keygen` "
                "and set FREIWEG_LOG_KEY to it (or to the file holding it), or set FREIWEG_DEMO=1 for a demo."
            )

    def sqlite_path(self) -> Path | None:
        """Return the SQLite file path of the database URL, or None for other databases."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url[len(prefix) :]
            return None if rest in ("", ":memory:") else Path(rest)
        return None

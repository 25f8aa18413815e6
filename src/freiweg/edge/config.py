"""The agent's configuration file (TOML), checked on load, and the hashes it reports with uploads."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from freiweg.edge.estimator import Tuning
from freiweg.privacy.windows import check_minutes

DEFAULT_CHANNELS = (1, 6, 11)


class ConfigError(ValueError):
    """A configuration the agent refuses, with what to fix."""


@dataclass(frozen=True)
class EdgeConfig:
    """Everything `freiweg edge run` needs; the token stays out of the configuration hash."""

    server_url: str = ""
    token: str = field(default="", repr=False)
    interface: str = "wlan1"
    channels: tuple[int, ...] = DEFAULT_CHANNELS
    hop_seconds: float = 0.0
    window_minutes: int = 5
    queue_path: Path = Path("/var/lib/freiweg-edge/queue.db")
    queue_capacity: int = 100_000
    upload_batch: int = 500
    backoff_seconds: float = 2.0
    backoff_max_seconds: float = 600.0
    clock: str = "auto"
    upload: str = "devices"
    tuning: Tuning = Tuning()

    def sha256(self) -> str:
        """SHA-256 of the effective configuration (canonical JSON, without the token)."""
        document = asdict(self)
        document.pop("token")
        document["queue_path"] = str(self.queue_path)
        document["channels"] = list(self.channels)
        text = json.dumps(document, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def load(path: Path) -> EdgeConfig:
    """Read and check a TOML configuration file."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from error
    return from_document(document, base=path.parent)


def from_document(document: dict[str, Any], *, base: Path = Path(".")) -> EdgeConfig:
    """Build a configuration from a parsed document, naming every unknown or bad setting."""
    known = {f.name for f in fields(EdgeConfig)} | {"token_file"}
    tuning_known = {f.name for f in fields(Tuning)}
    unknown = sorted(set(document) - known)
    tuning_doc = document.get("tuning", {})
    if not isinstance(tuning_doc, dict):
        raise ConfigError("[tuning] must be a table")
    unknown += [f"tuning.{k}" for k in sorted(set(tuning_doc) - tuning_known)]
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    values = {k: v for k, v in document.items() if k not in ("tuning", "token_file")}
    if "token_file" in document:
        token_path = (base / str(document["token_file"])).resolve()
        try:
            values["token"] = token_path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(f"cannot read token_file {token_path}: {error}") from error
    if "queue_path" in values:
        values["queue_path"] = (base / str(values["queue_path"])).resolve()
    if "channels" in values:
        values["channels"] = tuple(values["channels"])
    try:
        tuning = Tuning(**tuning_doc)
        config = EdgeConfig(**values, tuning=tuning)
    except TypeError as error:
        raise ConfigError(str(error)) from error
    try:
        check_minutes(config.window_minutes)
    except ValueError as error:
        raise ConfigError(f"window_minutes: {error}") from error
    if config.upload not in ("devices", "present"):
        raise ConfigError("upload must be devices (distinct devices) or present (devices present on average)")
    if config.clock not in ("auto", "synced", "unsynced"):
        raise ConfigError("clock must be auto, synced or unsynced")
    if not all(isinstance(c, int) and 1 <= c <= 196 for c in config.channels):
        raise ConfigError("channels must be Wi-Fi channel numbers, e.g. [1, 6, 11]")
    if config.queue_capacity < 1:
        raise ConfigError("queue_capacity must be at least 1")
    return config

"""A journalist runs `freiweg verify` against a running server, tampers with its database, and is told."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from freiweg.bootstrap import build_services
from freiweg.services.log_keys import DEMO_KEY_FILE, load_log_signer
from freiweg.settings import Settings, UnsafeSettings
from tests.conftest import TEST_SECRET, area_feature, feature_collection
from tests.support.log_keys import TEST_LOG_KEY
from tests.support.server import running_server


def freiweg(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FREIWEG_")}
    environment["HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "freiweg", *args], capture_output=True, text=True, env=environment, timeout=60
    )


@pytest.mark.slow
def test_verify_passes_on_a_clean_server_and_fails_after_the_database_is_changed(tmp_path: Path) -> None:
    database = tmp_path / "freiweg.db"
    url = f"sqlite:///{database}"
    settings = Settings(database_url=url, secret_key=TEST_SECRET, log_key=TEST_LOG_KEY)
    services = build_services(settings)
    services.areas.import_areas(
        feature_collection(area_feature("domplatz"), area_feature("obstmarkt", lon=10.89))
    )
    services.sensors.add("domplatz-1", area_id="domplatz", kind="wifi")
    services.database.dispose()
    with running_server(url) as server:
        clean = freiweg("verify", server.base_url, home=tmp_path)
        assert clean.returncode == 0, clean.stderr
        assert "verified: test.freiweg.example/freiweg-log at 3 entries" in clean.stdout
        assert (tmp_path / ".freiweg" / "verify").is_dir()
        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE transparency_log SET body = replace(body, 'obstmarkt', 'rathaus')")
        tampered = freiweg("verify", server.base_url, home=tmp_path)
    assert tampered.returncode == 1
    assert tampered.stderr.startswith("FAILED: the 3 entries do not hash to the signed root")


def test_demo_mode_makes_one_private_signing_key_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'data' / 'freiweg.db'}", demo=True)
    first = load_log_signer(settings)
    path = tmp_path / "data" / DEMO_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_log_signer(settings).public_key == first.public_key
    assert first.name == "127.0.0.1:8000/freiweg-log"
    with pytest.raises(UnsafeSettings):
        load_log_signer(Settings(database_url=settings.database_url, demo=False))

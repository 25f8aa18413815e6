"""The privacy test: no address, in any encoding or known hash, is written by the agent or the server."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from freiweg.bootstrap import build_services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, area_feature, feature_collection
from tests.edge.support import dpkt_probes, recording_proxy, simulated
from tests.support.server import start_server

pytestmark = pytest.mark.slow

HASHES = ("md5", "sha1", "sha224", "sha256", "sha512", "blake2b", "blake2s", "sha3_256")
SEPARATORS = ("", ":", "-", ".", " ")
HEX = re.compile(rb"[0-9a-f](?:[0-9a-f]|[:.\- ](?=[0-9a-f]))*")


def texts(address: bytes) -> list[bytes]:
    """An address written as text in every usual way, lower case (the scan lower-cases everything)."""
    plain = address.hex()
    pairs = [plain[i : i + 2] for i in range(0, 12, 2)]
    quads = [plain[i : i + 4] for i in range(0, 12, 4)]
    written = [sep.join(pairs).encode() for sep in SEPARATORS] + [".".join(quads).encode()]
    return written + [w.upper() for w in written]


def digests(data: bytes, keys: list[bytes]) -> list[bytes]:
    """Digests of data: plain hashes, HMAC-SHA256 and keyed BLAKE2b under every known key."""
    found = [hashlib.new(name, data).digest() for name in HASHES]
    found += [hashlib.blake2b(data, digest_size=8).digest()]
    for key in keys:
        found.append(hmac.new(key, data, hashlib.sha256).digest())
        found.append(hashlib.blake2b(data, key=key[:64], digest_size=8).digest())
        found.append(hashlib.blake2b(data, key=key[:64]).digest())
    return found


class Needles:
    """What must never appear: raw bytes (6-byte addresses, 8-byte digest prefixes) and hex text."""

    def __init__(self, addresses: set[bytes], keys: list[bytes]) -> None:
        self.raw: set[bytes] = set(addresses)
        self.hex: set[bytes] = set()
        for address in addresses:
            self.hex.add(address.hex().encode())
            for form in [address, *texts(address)]:
                for digest in digests(form, keys):
                    self.raw.add(digest[:8])
                    self.hex.add(digest[:8].hex().encode())

    def found_in(self, blob: bytes) -> set[bytes]:
        """Every needle that occurs in the blob, raw or as hex with any separators in any case."""
        hits = {blob[i : i + 6] for i in range(len(blob) - 5)} & self.raw
        hits |= {blob[i : i + 8] for i in range(len(blob) - 7)} & self.raw
        for token in HEX.findall(blob.lower()):
            run = re.sub(rb"[:.\- ]", b"", token)
            for size in (12, 16):
                hits |= {run[i : i + size] for i in range(len(run) - size + 1)} & self.hex
        return hits


def prepare_server(database_url: str) -> str:
    """An area with one Wi-Fi sensor; returns its token."""
    services = build_services(Settings(database_url=database_url, secret_key=TEST_SECRET))
    services.areas.import_areas(feature_collection(area_feature("domplatz")))
    token = services.sensors.add("domplatz-1", area_id="domplatz", kind="wifi", interval_seconds=300).token
    services.database.dispose()
    return token


def everything_in(folder: Path) -> bytes:
    """The bytes of every file under a folder."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_no_address_or_hash_of_one_is_written_by_the_agent_or_the_server(tmp_path: Path) -> None:
    capture_dir, agent_dir, server_dir = tmp_path / "capture", tmp_path / "agent", tmp_path / "server"
    for folder in (capture_dir, agent_dir, server_dir):
        folder.mkdir()
    capture, _ = simulated(capture_dir, "busy-square", minutes=10, share=0.6)
    addresses = {address for address, _, _ in dpkt_probes(capture)}
    assert len(addresses) > 500
    database_url = f"sqlite:///{server_dir / 'freiweg.db'}"
    token = prepare_server(database_url)
    keys = [token.encode(), TEST_SECRET.encode(), hashlib.sha256(token.encode()).digest(), b"freiweg"]
    needles = Needles(addresses, keys)
    assert needles.found_in(capture.read_bytes()) >= addresses, (
        "the scan must find the addresses where they are"
    )
    planted = b'{"x": "' + ":".join(f"{b:02X}" for b in sorted(addresses)[0]).encode() + b'"}'
    assert needles.found_in(planted), "the scan must find an address written as upper-case hex"

    server = start_server(database_url)
    try:
        with recording_proxy(server.base_url) as (proxy_url, recorder):
            (agent_dir / "edge.toml").write_text(
                f'server_url = "{proxy_url}"\ntoken = "{token}"\nqueue_path = "queue.db"\nclock = "synced"\n',
                encoding="utf-8",
            )
            environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            agent = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "freiweg",
                    "edge",
                    "run",
                    "--config",
                    "edge.toml",
                    "--capture",
                    str(capture),
                ],
                cwd=agent_dir,
                capture_output=True,
                timeout=120,
                env=environment,
                check=False,
            )
        assert agent.returncode == 0, agent.stderr.decode()
        assert recorder.statuses and set(recorder.statuses) == {200}
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)
        server.log.seek(0)
        server_log = server.log.read()
        server.log.close()

    lines = agent.stdout.decode().splitlines()
    assert len(lines) == 2 and '"devices"' in lines[0]
    written = {
        "agent files": everything_in(agent_dir),
        "agent stdout": agent.stdout,
        "agent stderr": agent.stderr,
        "uploads and answers": b"\n".join(recorder.bodies),
        "server database": everything_in(server_dir),
        "server log": server_log,
    }
    assert len(written["server database"]) > 10_000
    for what, blob in written.items():
        assert not needles.found_in(blob), f"an address or its hash appears in the {what}"
        assert b"home-network" not in blob, f"a network name phones probed for appears in the {what}"

"""After feedback, support and moderation on a real server, neither the caller's address nor agent is kept."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from freiweg.bootstrap import build_services
from freiweg.services.staff import StaffService
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET, area_feature, feature_collection
from tests.support.console import csrf_of
from tests.support.log_keys import TEST_LOG_KEY
from tests.support.postgres import free_port
from tests.support.public_forms import form_token_of

pytestmark = pytest.mark.slow

CLIENT_ADDRESS = "127.0.0.77"  # a loopback address of its own, so the server sees it as the caller
OTHER_ADDRESS = "127.0.0.78"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) freiweg-participation-probe/7.3"


@dataclass
class Server:
    """A `freiweg serve` process with its output in files."""

    process: subprocess.Popen[bytes]
    base_url: str
    stdout: Path
    stderr: Path


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    """A SQLite file with an area, a sensor, a moderator and the moderation purpose."""
    path = tmp_path / "freiweg.db"
    services = build_services(Settings(database_url=f"sqlite:///{path}", secret_key=TEST_SECRET))
    try:
        services.areas.import_areas(feature_collection(area_feature("obere-bruecke")))
        services.sensors.add("obere-bruecke-1", area_id="obere-bruecke", kind="wifi", interval_seconds=300)
        services.transparency.access.add_purpose(
            "moderation", name_de="Moderieren", name_en="Moderate", scopes=["moderation_queue"]
        )
        created = StaffService(database=services.database, clock=services.clock).add("mo", role="moderator")
        (tmp_path / "password").write_text(str(created.password))
    finally:
        services.database.dispose()
    return path


@pytest.fixture
def server(database_file: Path, tmp_path: Path) -> Iterator[Server]:
    """A real server on 127.0.0.1 logging at info level, stdout and stderr kept in files."""
    port = free_port()
    environment = dict(os.environ)
    environment.update(
        FREIWEG_DATABASE_URL=f"sqlite:///{database_file}",
        FREIWEG_SECRET_KEY=TEST_SECRET,
        FREIWEG_LOG_KEY=TEST_LOG_KEY,
        FREIWEG_DEMO="0",
        FREIWEG_LOG_LEVEL="info",
    )
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "freiweg", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=environment,
            stdout=out,
            stderr=err,
        )
    running = Server(process, f"http://127.0.0.1:{port}", stdout, stderr)
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, stderr.read_text(errors="replace")
        try:
            if httpx.get(f"{running.base_url}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    yield running
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=15)


def client_from(address: str, base_url: str) -> httpx.Client:
    """A client whose connections leave from address, with the distinctive user agent."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(
        base_url=base_url, transport=transport, headers={"user-agent": USER_AGENT}, timeout=30
    )


def needles() -> dict[str, bytes]:
    """The address in text and packed forms, and the user agent."""
    packed = socket.inet_aton(CLIENT_ADDRESS)
    number = int(ipaddress.IPv4Address(CLIENT_ADDRESS))
    return {
        "address text": CLIENT_ADDRESS.encode(),
        "address packed": packed,
        "address mapped": ipaddress.IPv6Address(f"::ffff:{CLIENT_ADDRESS}").packed,
        "address hex": packed.hex().encode(),
        "address number": str(number).encode(),
        "address utf-16": CLIENT_ADDRESS.encode("utf-16-le"),
        "user agent": USER_AGENT.encode(),
        "user agent part": b"participation-probe",
    }


def run_flows(server: Server, password: str) -> list[str]:
    """Feedback by API and form, the honeypot, support for an idea, a flood, and a full moderation.

    Returns the form tokens the pages handed out (cookie and hidden field), which must be kept nowhere.
    """
    item = {"topic": "sensor:obere-bruecke-1", "kind": "question", "lang": "de"}
    tokens = []
    with client_from(CLIENT_ADDRESS, server.base_url) as resident:
        tokens.append(form_token_of(resident.get("/sensors/obere-bruecke-1").text))
        assert resident.cookies["freiweg_form"] == tokens[-1]
        item["form_token"] = tokens[-1]
        question = resident.post("/api/v1/feedback", json={**item, "text": "Warum hängt hier ein Kasten?"})
        assert question.status_code == 202
        idea = resident.post(
            "/api/v1/feedback", json={**item, "kind": "idea", "text": "Eine Anzeige am Rathaus"}
        )
        spam = resident.post("/api/v1/feedback", json={**item, "text": "Werbung www.example.com"})
        assert (
            resident.post("/api/v1/feedback", json={**item, "text": "Robot", "website": "x"}).status_code
            == 202
        )
        form = resident.post("/feedback", data={**item, "kind": "concern", "text": "Per Formular"})
        assert form.status_code == 303
        assert resident.post("/feedback", data={**item, "text": "Fünfte Frage"}).status_code == 303
        # The sixth item from this address within the hour is refused, while another address may still send:
        # the server saw the distinctive address (and kept only an hourly-keyed hash of it in memory).
        assert resident.post("/api/v1/feedback", json={**item, "text": "Sechste"}).status_code == 429
    with client_from(OTHER_ADDRESS, server.base_url) as neighbour:
        assert neighbour.post("/api/v1/feedback", json={**item, "text": "Von nebenan"}).status_code == 202

    with client_from(CLIENT_ADDRESS, server.base_url) as staff:
        login = staff.get("/console/login")
        signed = staff.post(
            "/console/login", data={"name": "mo", "password": password, "csrf": csrf_of(login.text)}
        )
        assert signed.status_code in (200, 303)
        csrf = csrf_of(staff.get("/console", headers={"accept": "text/html"}).text)
        queue = staff.get("/console/moderation.json", params={"purpose": "moderation"}).json()["queue"]
        assert len(queue["waiting"]) == 6
        form = {"csrf": csrf, "purpose": "moderation"}
        for waiting in queue["waiting"]:
            if "Werbung" in waiting["text"]:
                assert staff.post(
                    f"/console/moderation/{waiting['id']}/decline", data={**form, "reason": "advertising"}
                ).status_code in (200, 303)
            else:
                assert staff.post(f"/console/moderation/{waiting['id']}/publish", data=form).status_code in (
                    200,
                    303,
                )
        answer = {**form, "text": "Ein Zählsensor.", "status": "answered", "lang": "de"}
        assert staff.post(f"/console/moderation/{question.json()['id']}/answer", data=answer).status_code in (
            200,
            303,
        )
        assert staff.post(
            "/console/moderation/in-person",
            data={**form, "topic": "project", "kind": "objection", "text": "In der Sprechstunde"},
        ).status_code in (200, 303)
    assert spam.status_code == 202

    with client_from(CLIENT_ADDRESS, server.base_url) as resident:
        assert resident.post(f"/api/v1/feedback/{idea.json()['id']}/support", json={}).status_code == 202
        tokens.append(form_token_of(resident.get("/sensors/obere-bruecke-1").text))
        supported = resident.post(
            f"/feedback/{idea.json()['id']}/support",
            data={"topic": "sensor:obere-bruecke-1", "form_token": tokens[-1]},
        )
        assert supported.status_code == 303
        published = resident.get("/api/v1/feedback", params={"topic": "sensor:obere-bruecke-1"}).json()[
            "items"
        ]
        assert "Ein Zählsensor." in [a["text"] for i in published for a in i["answers"]]
        assert "Werbung" not in resident.get("/sensors/obere-bruecke-1").text
    return tokens


def stored_bytes(database_file: Path) -> dict[str, bytes]:
    """Every byte of the database: the main file, its write-ahead log and shared memory."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = database_file.with_name(database_file.name + suffix)
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def assert_nowhere(places: dict[str, bytes], tokens: list[str] | None = None) -> None:
    """No needle (nor any of the form tokens) appears in any place."""
    found = {**needles(), **{f"form token {n}": t.encode() for n, t in enumerate(tokens or [])}}
    leaks = [(needle, place) for place, data in places.items() for needle, b in found.items() if b in data]
    assert leaks == []


def test_feedback_support_and_moderation_keep_neither_the_callers_address_nor_its_user_agent(
    server: Server, database_file: Path, tmp_path: Path
) -> None:
    with pytest.raises(AssertionError):  # the scan finds a packed address where there is one
        assert_nowhere({"probe": b"\x00" + socket.inet_aton(CLIENT_ADDRESS) + b"\x00"})
    tokens = run_flows(server, (tmp_path / "password").read_text())
    during = stored_bytes(database_file)
    assert b"Warum h" in during[database_file.name] + during.get(database_file.name + "-wal", b"")
    assert_nowhere(during, tokens)
    server.process.terminate()
    server.process.wait(timeout=15)
    output = {"stdout": server.stdout.read_bytes(), "stderr": server.stderr.read_bytes()}
    assert_nowhere({**stored_bytes(database_file), **output}, tokens)

"""`freiweg edge count|simulate|run` from the command line, including on a box without the server extra."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from freiweg.cli import app
from freiweg.edge.capture import read_capture
from tests.edge.support import simulated

runner = CliRunner()

WITHOUT_SERVER = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"fastapi", "starlette", "sqlalchemy", "alembic",
                                  "pydantic_settings", "uvicorn", "jinja2", "structlog", "psycopg"}:
            raise ImportError(f"{name} is not installed on this box")
sys.meta_path.insert(0, Refuse())
from freiweg.cli import main
sys.argv = ["freiweg", *sys.argv[1:]]
main()
"""


def pcapng(frames: list[tuple[float, bytes]]) -> bytes:
    """A minimal pcapng: section header, one radiotap interface (nanosecond resolution), enhanced packets."""

    def block(kind: int, body: bytes) -> bytes:
        body += b"\x00" * (-len(body) % 4)
        return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)

    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    option = struct.pack("<HHB", 9, 1, 9) + b"\x00" * 3 + struct.pack("<HH", 0, 0)
    out += block(1, struct.pack("<HHI", 127, 0, 65535) + option)
    for moment, data in frames:
        stamp = round(moment * 1e9)
        out += block(
            6, struct.pack("<IIIII", 0, stamp >> 32, stamp & 0xFFFFFFFF, len(data), len(data)) + data
        )
    return out


def test_count_prints_one_json_line_per_window_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture, _ = simulated(tmp_path / "in", minutes=10)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["edge", "count", str(capture)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert {"start", "end", "devices", "present", "components", "addresses", "frames", "quality"} <= set(
        lines[0]
    )
    assert (
        lines[1]["components"]["global_devices"] + lines[1]["components"]["randomised_devices"]
        == (lines[1]["devices"])
    )
    assert list(work.iterdir()) == []


def test_pcapng_and_pcap_of_the_same_frames_give_the_same_counts(tmp_path: Path) -> None:
    capture, _ = simulated(tmp_path, minutes=5)
    frames = list(read_capture(capture))
    (tmp_path / "same.pcapng").write_bytes(pcapng(frames))
    assert [f for _, f in read_capture(tmp_path / "same.pcapng")] == [f for _, f in frames]
    counts = []
    for path in (capture, tmp_path / "same.pcapng"):
        result = runner.invoke(app, ["edge", "count", str(path)], catch_exceptions=False)
        counts.append(
            [(line["start"], line["devices"]) for line in map(json.loads, result.stdout.splitlines())]
        )
    assert counts[0] == counts[1]


def test_a_capture_without_radiotap_headers_is_refused_with_what_to_do(tmp_path: Path) -> None:
    ethernet = tmp_path / "ethernet.pcap"
    ethernet.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    result = runner.invoke(app, ["edge", "count", str(ethernet)])
    assert result.exit_code == 1
    assert "not radiotap" in result.output and "monitor mode" in result.output
    garbage = tmp_path / "notes.txt"
    garbage.write_text("hello", encoding="utf-8")
    assert "neither pcap nor pcapng" in runner.invoke(app, ["edge", "count", str(garbage)]).output


def test_simulate_writes_a_capture_and_a_truth_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "edge",
            "simulate",
            "--scenario",
            "quiet-lane",
            "--minutes",
            "15",
            "--out",
            str(tmp_path),
            "--seed",
            "2",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    truth = (tmp_path / "quiet-lane-truth.csv").read_text(encoding="utf-8").splitlines()
    assert truth[0] == "start,end,people,people_mean,phones,devices_heard,randomising_heard"
    assert len(truth) == 4
    assert (tmp_path / "quiet-lane.pcap").stat().st_size > 24
    unknown = runner.invoke(app, ["edge", "simulate", "--scenario", "moon", "--out", str(tmp_path)])
    assert unknown.exit_code == 1 and "quiet-lane" in unknown.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('server_url = "http://x"\ntoken = "t"\nwindow_minutes = 20\n', "1 to 15 minutes"),
        ('server_url = "http://x"\ntoken = "t"\nmac_filter = true\n', "unknown setting(s): mac_filter"),
        ('server_url = "http://x"\ntoken = "t"\n[tuning]\nmax_gapp = 3\n', "tuning.max_gapp"),
        ('server_url = "http://x"\n', "set server_url and token"),
        ('server_url = "http://x"\ntoken = "t"\nupload = "addresses"\n', "upload must be devices"),
        ("server_url = \n", "not valid TOML"),
        ('server_url = "http://x"\ntoken_file = "missing"\n', "cannot read token_file"),
    ],
)
def test_run_refuses_a_bad_configuration_saying_what_to_fix(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "edge.toml"
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["edge", "run", "--config", str(config)])
    assert result.exit_code == 1
    assert message in result.output


def test_the_edge_commands_run_on_a_box_without_the_server_extra(tmp_path: Path) -> None:
    capture, _ = simulated(tmp_path, minutes=5)
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_SERVER, "edge", "count", str(capture)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert len(done.stdout.splitlines()) == 1


def test_a_replay_while_the_server_is_unreachable_keeps_every_window_in_the_queue(tmp_path: Path) -> None:
    from freiweg.edge.queue import CountQueue
    from tests.support.postgres import free_port

    capture, _ = simulated(tmp_path, minutes=15)
    config = tmp_path / "edge.toml"
    config.write_text(
        f'server_url = "http://127.0.0.1:{free_port()}"\ntoken = "t"\n'
        'queue_path = "q.db"\nclock = "unsynced"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["edge", "run", "--config", str(config), "--capture", str(capture)])
    assert result.exit_code == 0, result.output
    assert "3 count(s) wait in the queue" in result.output
    queue = CountQueue(tmp_path / "q.db")
    waiting = queue.oldest(10)
    queue.close()
    assert len(waiting) == 3
    assert all("clock_uncertain" in p.quality for p in waiting)
    assert "partial_window" in waiting[0].quality and "partial_window" not in waiting[1].quality


def test_a_replay_of_a_missing_capture_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    config = tmp_path / "edge.toml"
    config.write_text(
        'server_url = "http://127.0.0.1:9"\ntoken = "t"\nqueue_path = "q.db"\n', encoding="utf-8"
    )
    missing = tmp_path / "nowhere.pcap"
    result = runner.invoke(app, ["edge", "run", "--config", str(config), "--capture", str(missing)])
    assert result.exit_code == 1
    assert f"{missing} is not a file" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edge.toml"]


def test_a_capture_cut_off_in_the_middle_of_a_record_is_counted_up_to_the_cut(tmp_path: Path) -> None:
    capture, _ = simulated(tmp_path, minutes=5)
    data = capture.read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[: len(data) // 2 + 7])
    frames = list(read_capture(cut))
    assert 0 < len(frames) < len(list(read_capture(capture)))
    result = runner.invoke(app, ["edge", "count", str(cut)], catch_exceptions=False)
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1

"""MQTT subscriber throughput: `python -m bench.ingest_mqtt [--messages 20000 --rate 1000]` (by hand).

A private Mosquitto broker; `freiweg ingest ttn-mqtt` in its own process (pinned to core 0)
subscribes to v3/bench/devices/+/up (QoS 0, as TTN publishes) on a SQLite database with 200
registered Paxcounters; this process (core 1) publishes TTN v3 uplinks, each a new uplink, at a
steady rate. Counted afterwards: how many arrived as counts in the database. As a baseline, the
same messages are first published to a subscriber that only counts them, which shows what broker
and client deliver on this machine at the same moment.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import create_engine, text
from tests.support.mosquitto import running_broker

from bench.ingest_common import machine_load, prepare, server_env

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "ingest" / "ttn" / "fixtures" / "uplink.json"
TOPIC = "v3/bench/devices/{device}/up"


def messages(euis: list[str], count: int) -> list[tuple[str, bytes]]:
    """count distinct TTN uplinks, spread over the devices, one minute apart per device."""
    template = json.loads(FIXTURE.read_text(encoding="utf-8"))
    base = int(time.time()) - 60
    built = []
    for g in range(count):
        device = g % len(euis)
        moment = datetime.fromtimestamp(base - 60 * (g // len(euis)), UTC).isoformat()
        message = {
            **template,
            "end_device_ids": {
                **template["end_device_ids"],
                "dev_eui": euis[device],
                "device_id": f"pax-{device}",
            },
            "received_at": moment,
            "uplink_message": {**template["uplink_message"], "f_cnt": g, "received_at": moment},
        }
        built.append((TOPIC.format(device=f"pax-{device}"), orjson.dumps(message)))
    return built


def publish(host: str, port: int, batch: list[tuple[str, bytes]], rate: float) -> float:
    """Publish at rate messages/s (QoS 0); return the seconds it took."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    client.max_queued_messages_set(0)
    client.connect(host, port)
    client.loop_start()
    started = time.monotonic()
    for number, (topic, payload) in enumerate(batch):
        due = started + number / rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        client.publish(topic, payload, qos=0)
    took = time.monotonic() - started
    time.sleep(0.5)
    client.disconnect()
    client.loop_stop()
    return took


def counting_baseline(host: str, port: int, batch: list[tuple[str, bytes]], rate: float) -> int:
    """How many of the messages a subscriber that stores nothing receives."""
    received = 0
    ready = threading.Event()

    def on_message(_client: object, _userdata: object, _message: object) -> None:
        nonlocal received
        received += 1

    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    client.on_message = on_message
    client.on_subscribe = lambda *_args: ready.set()
    client.connect(host, port)
    client.subscribe("v3/bench/devices/+/up", qos=0)
    client.loop_start()
    ready.wait(10)
    publish(host, port, batch, rate)
    time.sleep(2)
    client.disconnect()
    client.loop_stop()
    return received


def stored_counts(url: str) -> int:
    """Counts in the database."""
    engine = create_engine(url)
    with engine.connect() as connection:
        value = int(connection.execute(text("SELECT count(*) FROM counts")).scalar_one())
    engine.dispose()
    return value


def main() -> None:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--sensors", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="freiweg-bench-mqtt-") as folder, running_broker() as broker:
        workdir = Path(folder)
        url, euis = prepare(workdir, sensors=options.sensors)
        batch = messages(euis, options.messages)
        baseline_batch = messages(euis, options.messages)
        load_before = machine_load()
        baseline = counting_baseline(broker.host, broker.port, baseline_batch, options.rate)
        command = [
            "taskset", "-c", "0", sys.executable, "-m", "freiweg", "ingest", "ttn-mqtt",
            "--application", "bench", "--api-key", "unused", "--tenant", "",
            "--host", broker.host, "--port", str(broker.port), "--no-tls",
        ]  # fmt: skip
        log = (workdir / "subscriber.log").open("wb")
        subscriber = subprocess.Popen(command, env=server_env(url), stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while b"subscribed" not in (workdir / "subscriber.log").read_bytes():
                if time.monotonic() > deadline or subscriber.poll() is not None:
                    raise SystemExit((workdir / "subscriber.log").read_text())
                time.sleep(0.1)
            time.sleep(0.5)
            os.sched_setaffinity(0, {1})
            took = publish(broker.host, broker.port, batch, options.rate)
            published_at = time.monotonic()
            # Wait until the subscriber has stored everything it received (or stopped making progress).
            last, still, progressed_at = -1, 0, published_at
            while still < 6:
                time.sleep(0.5)
                now = stored_counts(url)
                if now != last:
                    still, progressed_at = 0, time.monotonic()
                else:
                    still += 1
                last = now
        finally:
            subscriber.terminate()
            subscriber.wait(timeout=20)
            log.close()
        stored = stored_counts(url)
    report = {
        "benchmark": "ttn-mqtt subscriber, SQLite, QoS 0",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": load_before,
        "load_after": machine_load(),
        "command": f"python -m bench.ingest_mqtt --messages {options.messages} --rate {options.rate:g}",
        "published": options.messages,
        "publish_seconds": round(took, 2),
        "published_per_second": round(options.messages / took, 1),
        "stored": stored,
        "lost": options.messages - stored,
        "last_count_stored_seconds_after_publishing": round(max(0.0, progressed_at - published_at), 1),
        "baseline_received_by_counting_subscriber": baseline,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

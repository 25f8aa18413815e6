"""Fixtures of the counter-source tests: webhook secrets, a registered Paxcounter, uplink fixtures."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from freiweg.services.lorawan import LorawanService
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET
from tests.support.mosquitto import Broker, mosquitto_binary, running_broker

HERE = Path(__file__).parent
TTN_SECRET = "ttn-webhook-secret-for-tests"
CHIRPSTACK_SECRET = "chirpstack-secret-for-tests"
OPERATOR_TOKEN = "operator-token-for-tests"
TTN_EUI = "70B3D57ED005A1B2"
CHIRPSTACK_EUI = "70B3D57ED005C3D4"


def fixture(source: str, name: str) -> dict[str, Any]:
    """A recorded payload from tests/ingest/<source>/fixtures/, as a fresh dict."""
    return copy.deepcopy(json.loads((HERE / source / "fixtures" / name).read_text(encoding="utf-8")))


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings with both webhook secrets and the operator token set."""
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        demo=False,
        ttn_secret=TTN_SECRET,
        chirpstack_secret=CHIRPSTACK_SECRET,
        operator_token=OPERATOR_TOKEN,
    )


@pytest.fixture
def lorawan(services: Services) -> LorawanService:
    """The LoRaWAN intake on the test services."""
    return LorawanService(database=services.database, clock=services.clock)


@pytest.fixture
def paxcounters(
    town: Callable[..., dict[str, str]], services: Services, lorawan: LorawanService
) -> dict[str, str]:
    """Two Paxcounter sensors with a 60 s cycle: domplatz-1 (TTN device) and obstmarkt-1 (ChirpStack)."""
    tokens = town("domplatz", "obstmarkt", kind="paxcounter", interval=60)
    lorawan.register_device("domplatz-1", dev_eui=TTN_EUI, device_id="pax-domplatz-1")
    lorawan.register_device("obstmarkt-1", dev_eui=CHIRPSTACK_EUI)
    return tokens


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    """One private Mosquitto broker for the whole run."""
    if mosquitto_binary() is None:
        if os.environ.get("FREIWEG_REQUIRE_POSTGRES"):
            pytest.fail("mosquitto not found; install Debian's mosquitto package")
        pytest.skip("mosquitto not found")
    with running_broker() as running:
        yield running

"""Fixed signing keys for tests (never for production): the log's and a witness's."""

from __future__ import annotations

TEST_LOG_KEY = (
    "PRIVATE+KEY+test.freiweg.example/freiweg-log+fe21c64e+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f"
)
TEST_WITNESS_KEY = "PRIVATE+KEY+witness.test.example/w1+ee5716f5+BCAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/"

"""ESP32-Paxcounter payloads: packed, plain and Cayenne LPP byte layouts of the count port."""

SOURCE = "paxcounter"
PORTS = {1: "counts", 2: "status, or counts in Cayenne LPP packed format"}

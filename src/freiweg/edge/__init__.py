"""The edge sensor agent: counts Wi-Fi devices on the box, keeps identifiers in RAM for one window only."""

__version__ = "0.1.0"

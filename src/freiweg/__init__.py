"""freiweg: anonymous, verifiable crowd measurement and guidance for old towns."""

__version__ = "0.1.0"

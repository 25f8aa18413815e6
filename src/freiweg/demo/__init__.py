"""The demo old town: areas, simulated sensors and realistic daily profiles, always labelled demo."""

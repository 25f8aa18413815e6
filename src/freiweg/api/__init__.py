"""The HTTP API: app factory, problem+json errors and thin routers over the services."""

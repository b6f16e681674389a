"""The HTTP routes of the gateway: sessions/health/plugins, trace files, signal/cancel, search."""

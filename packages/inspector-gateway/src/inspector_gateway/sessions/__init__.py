"""Sessions: the live registry (hooks), the trace directory and its files, sources, writers, OTLP."""

"""mcp-agent settings for the demo, built in code: asyncio engine, the stdio demo server, no secrets, no network."""

from __future__ import annotations

from pathlib import Path

from mcp_agent.config import LoggerSettings, OpenTelemetrySettings, Settings

from inspector_demo.demo_server import mcp_settings


def demo_settings(*, log_path: Path | None = None, log_level: str = "warning") -> Settings:
    """Settings for the demo app; mcp-agent's own log goes to ``log_path`` (JSONL) or nowhere.

    OTel stays off here (``otel.enabled`` costs ~5 s of openai/anthropic instrumentation at start); the
    inspector installs its own tracing when it is mounted.
    """
    logger = (
        LoggerSettings(type="file", path=str(log_path), level=log_level)  # type: ignore[arg-type]
        if log_path is not None
        else LoggerSettings(type="none", level=log_level)  # type: ignore[arg-type]
    )
    return Settings(
        execution_engine="asyncio",
        mcp=mcp_settings(),
        logger=logger,
        otel=OpenTelemetrySettings(enabled=False),
    )

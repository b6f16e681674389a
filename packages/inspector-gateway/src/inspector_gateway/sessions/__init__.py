"""Sessions: the live registry (hooks), the trace directory and its files, sources, writers, OTLP, tokens and cost.

The public part reads a traces directory as ``GET /sessions`` and ``GET /trace`` do, for tools without a running
gateway (the ``mcp-agent-inspector`` command)::

    from inspector_gateway.sessions import TraceDirectory, load_prices, to_otlp, trace_parts, usage_row

    for session in TraceDirectory(path).sessions():             # FileSession: id, status, title, usage, ...
        row = session.row(session.waiting)                       # the GET /sessions row
        if session.usage:
            row["usage"] = usage_row(session.usage, load_prices())  # tokens and cost per model
"""

from ._otlp import to_otlp
from ._prices import PriceTable, load_prices
from ._tracefiles import FileSession, TraceDirectory, trace_parts
from ._usage import usage_row

__all__ = ["FileSession", "PriceTable", "TraceDirectory", "load_prices", "to_otlp", "trace_parts", "usage_row"]

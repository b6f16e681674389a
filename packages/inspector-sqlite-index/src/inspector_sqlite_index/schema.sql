-- The search index of mcp-agent-inspector (docs/search.md). Everything here is rebuilt from the trace files.
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- How far each trace file is indexed: its identity when last read and the complete lines taken from it.
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    inode INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    lines INTEGER NOT NULL
);
-- One row per indexed span: what the filters and the hits need. spans_text has the same rowid.
CREATE TABLE IF NOT EXISTS spans (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    span_id TEXT,
    name TEXT NOT NULL,
    kind TEXT,
    category TEXT,
    status TEXT,
    start_time TEXT
);
CREATE INDEX IF NOT EXISTS spans_by_session ON spans (session_id);
-- name, the readable text of the attributes (inspector_gateway.search.span_text), facet tokens (session, kind,
-- status: _facets.py) that filters match on, and the name of a lifecycle span (inspector_gateway.search.is_lifecycle:
-- in this column, not in name, so it is found but weighs nothing); ranked by bm25 over name and body.
CREATE VIRTUAL TABLE IF NOT EXISTS spans_text USING fts5 (
    name, body, facets, lifecycle_name, tokenize = 'unicode61 remove_diacritics 2'
);

// Shapes of the gateway's HTTP API (SPEC §5) and of the trace file records (SPEC §4).

export type SessionStatus = "running" | "paused" | "completed" | "failed" | "cancelled";

export interface WaitingInfo {
  signal_name: string;
  prompt: string | null;
  schema: JsonSchema | null;
}

export interface SessionInfo {
  id: string;
  status: SessionStatus | string;
  started_at: string;
  ended_at?: string | null;
  engine: string;
  title: string;
  parent_session_id?: string | null;
  span_count?: number | null;
  error?: string | null;
  waiting?: WaitingInfo | null;
  /** What is wrong with its trace file (then status is "failed" and error says so). */
  file_error?: string | null;
  /** LLM tokens of the session's llm.generate spans, by model, and their cost (null: some model has no price). */
  usage?: SessionUsage | null;
}

export interface ModelUsage {
  input_tokens: number;
  output_tokens: number;
  calls: number;
  cost_usd: number | null;
}

export interface SessionUsage {
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  unpriced: string[];
  models: Record<string, ModelUsage>;
}

/** The current state of the trace storage of the inspected process. */
export interface StorageInfo {
  state: "ok" | "failing" | string;
  path?: string | null;
  message?: string;
  since?: string;
}

export interface SessionsResponse {
  sessions: SessionInfo[];
  storage?: StorageInfo | null;
  temporal_error?: string | null;
  errors?: unknown;
}

export interface PluginInfo {
  name: string;
  version?: string | null;
  error?: string | null;
}

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  format?: string;
  const?: unknown;
}

export type Attributes = Record<string, unknown>;

export interface SpanStatusRecord {
  code?: string;
  message?: string | null;
}

export interface SpanEventRecord {
  name: string;
  timestamp?: string;
  time?: string;
  attributes?: Attributes;
}

export interface SpanRecord {
  type: "span" | "span_start";
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind?: string;
  start_time: string;
  end_time?: string;
  status?: SpanStatusRecord | string;
  attributes?: Attributes;
  events?: SpanEventRecord[];
  links?: unknown[];
}

export interface SessionHeader {
  type: "session";
  v?: number;
  id: string;
  engine?: string;
  title?: string;
  started_at?: string;
  parent_session_id?: string | null;
  resource?: Attributes;
}

export interface SessionEnd {
  type: "session_end";
  status: string;
  ended_at?: string;
  error?: string | null;
}

export type TraceRecord = SpanRecord | SessionHeader | SessionEnd;

/** A span summary as carried by the SpanStarted / SpanEnded SSE events. */
export interface SpanSummary {
  trace_id?: string;
  span_id: string;
  parent_span_id?: string | null;
  name: string;
  start_time: string;
  end_time?: string | null;
  status?: SpanStatusRecord | string | null;
  duration_ms?: number | null;
}

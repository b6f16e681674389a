// GET /search: the request, the answer, and the text helpers of the search box (snippet marks, query terms).
import { getJson } from "./api";

export interface SearchHit {
  session_id: string;
  span_id?: string | null;
  name?: string;
  snippet?: string;
  /** [start, end) ranges of the match in snippet, in Unicode code points */
  highlights?: number[][];
  field?: string | null;
  kind?: string | null;
  status?: string | null;
  start_time?: string | null;
  score?: number | null;
}

export interface SearchProgress {
  state: string;
  percent?: number;
  spans?: number;
  files_total?: number;
  files_done?: number;
}

export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  total?: number;
  offset?: number;
  limit?: number;
  index?: string | null;
  ranked?: boolean;
  complete?: boolean;
  stopped_early?: boolean;
  budget_seconds?: number;
  unread?: { sessions?: number; files?: number; bytes?: number; session_ids?: string[] };
  progress?: SearchProgress;
  note?: string;
  error?: string;
}

/** The filters of GET /search the search box offers (unset: any). */
export interface SearchFilters {
  session?: string;
  kind?: string;
  status?: string;
}

export interface SearchParams extends SearchFilters {
  q: string;
  limit?: number;
  offset?: number;
}

export function searchUrl(p: SearchParams): string {
  const qs = new URLSearchParams({ q: p.q });
  if (p.limit !== undefined) qs.set("limit", String(p.limit));
  if (p.offset) qs.set("offset", String(p.offset));
  if (p.session) qs.set("session", p.session);
  if (p.kind) qs.set("kind", p.kind);
  if (p.status) qs.set("status", p.status);
  return `/search?${qs.toString()}`;
}

export const searchSpans = (p: SearchParams): Promise<SearchResponse> => getJson<SearchResponse>(searchUrl(p));

export interface TextPart {
  text: string;
  mark: boolean;
}

/** Split a snippet into plain and marked parts by its code-point ranges (out-of-range or overlapping ones clipped). */
export function snippetParts(snippet: string, highlights: number[][] = []): TextPart[] {
  const chars = Array.from(snippet);
  const parts: TextPart[] = [];
  let at = 0;
  const sorted = [...highlights].filter((h) => h.length === 2).sort((a, b) => a[0] - b[0]);
  for (const [rawStart, rawEnd] of sorted) {
    const start = Math.max(at, Math.min(rawStart, chars.length));
    const end = Math.max(start, Math.min(rawEnd, chars.length));
    if (start > at) parts.push({ text: chars.slice(at, start).join(""), mark: false });
    if (end > start) parts.push({ text: chars.slice(start, end).join(""), mark: true });
    at = end;
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(""), mark: false });
  return parts;
}

/** The terms of a query as the gateway reads them: words, "quoted phrases", prefix* words; lower-cased. */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    const text = (m[1] !== undefined ? m[1].replace(/\s+/g, " ").trim() : m[2].replace(/\*+$/, "").replace(/"/g, "")).toLowerCase();
    if (/[\p{L}\p{N}]/u.test(text) && !terms.includes(text)) terms.push(text);
  }
  return terms;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Mark every occurrence of any term in text (case-insensitive); no terms or no match gives one plain part. */
export function markTerms(text: string, terms: readonly string[]): TextPart[] {
  if (!terms.length || !text) return [{ text, mark: false }];
  const re = new RegExp(terms.map((t) => escapeRegExp(t).replace(/ /g, "\\s+")).join("|"), "giu");
  const parts: TextPart[] = [];
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === "") {
      re.lastIndex++;
      continue;
    }
    if (m.index > at) parts.push({ text: text.slice(at, m.index), mark: false });
    parts.push({ text: m[0], mark: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return parts.length ? parts : [{ text, mark: false }];
}

/** Where the first match of any term starts in text, or -1. */
export function firstMatch(text: string, terms: readonly string[]): number {
  const parts = markTerms(text, terms);
  let at = 0;
  for (const p of parts) {
    if (p.mark) return at;
    at += p.text.length;
  }
  return -1;
}

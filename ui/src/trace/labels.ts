// What a row shows beside the span's name (the tool's name, the model, the RPC method...), and the attribute
// values "Find span" matches, whoever created the span (our operation spans, mcp-agent 0.2.6's own spans). The rules
// are inspector_hooks.labels' (generated into labelRules.ts); this module applies them to the worker's records.
import type { SpanRecord } from "../lib/types";
import { LABEL_MAX, OPERATION_LABEL_KEYS, RPC_FIRST_KEYS, RPC_NAME_SUFFIXES, SEARCH_KEYS } from "./labelRules";
import { hasText, intern } from "./parse";

/** An RPC span is labelled by its method first (tools/call, not the tool it calls). */
const RPC_KEYS: readonly string[] = [...RPC_FIRST_KEYS, ...SEARCH_KEYS];

const keyLists = new Map<string, readonly string[]>();

/** The attributes, in order, whose first present value labels a span of this name. */
export function labelKeys(name: string): readonly string[] {
  let keys = keyLists.get(name);
  if (keys === undefined) {
    const own = OPERATION_LABEL_KEYS[name];
    keys = own ? [own] : RPC_NAME_SUFFIXES.some((suffix) => name.endsWith(suffix)) ? RPC_KEYS : SEARCH_KEYS;
    if (keyLists.size < 10000) keyLists.set(name, keys);
  }
  return keys;
}

function clip(value: string): string {
  return intern(value.length > LABEL_MAX ? `${value.slice(0, LABEL_MAX - 1)}…` : value);
}

export interface SpanLabels {
  /** what the row shows beside the name; "" when none */
  label: string;
  /** the distinct values of SEARCH_KEYS joined by "\n" (Find span matches them); "" when none */
  search: string;
}

const NONE: SpanLabels = { label: "", search: "" };

function fromValues(keys: readonly string[], value: (key: string) => string | undefined): SpanLabels {
  let label = "";
  for (const k of keys) {
    const v = value(k);
    if (v) {
      label = clip(v);
      break;
    }
  }
  const seen: string[] = [];
  for (const k of SEARCH_KEYS) {
    const v = value(k);
    if (v && !seen.includes(v)) seen.push(v);
  }
  return seen.length === 0 ? NONE : { label, search: intern(seen.join("\n")) };
}

/**
 * The label and search text of a finished span: from a parsed record's attributes, or from the unparsed attribute
 * text of a span read as text (one regex pass over it, see textValues). Both repeat (tool names, models, methods):
 * each distinct one is kept once.
 */
export function spanLabels(name: string, r: SpanRecord): SpanLabels {
  if (hasText(r)) return textLabels(name, r.raw, r.attrStart);
  const keys = labelKeys(name);
  const attrs = r.attributes;
  if (!attrs) return NONE;
  return fromValues(keys, (k) => {
    const v = attrs[k];
    return typeof v === "string" ? v : undefined;
  });
}

/** The number of each SEARCH_KEYS key (its place in the list). */
const KEY_NUMBER = new Map<string, number>(SEARCH_KEYS.map((k, i) => [k, i]));
const labelNumberLists = new Map<string, number[]>();
/** Scratch of textLabels: the first value of each SEARCH_KEYS key in the span at hand, and whether it was seen. */
const found: string[] = SEARCH_KEYS.map(() => "");
const seenKey = new Uint8Array(SEARCH_KEYS.length);
const touched: number[] = [];

function labelNumbers(name: string): number[] {
  let list = labelNumberLists.get(name);
  if (list === undefined) {
    list = labelKeys(name).map((k) => KEY_NUMBER.get(k) ?? -1);
    if (labelNumberLists.size < 10000) labelNumberLists.set(name, list);
  }
  return list;
}

/**
 * spanLabels from the unparsed JSON text of a span's attributes (`raw` from `from` on): one regex pass, the values
 * by key number in a reused scratch, no object but the result. The texts are not interned here (they may be
 * slices of `raw`): whoever keeps them copies them (the model's TextIndex does).
 */
export function textLabels(name: string, raw: string, from: number): SpanLabels {
  VALUES_RE.lastIndex = from;
  for (let m = VALUES_RE.exec(raw); m; m = VALUES_RE.exec(raw)) {
    const k = KEY_NUMBER.get(m[1]) ?? -1;
    if (k < 0 || seenKey[k]) continue;
    let value = m[2];
    if (value.includes("\\")) {
      try {
        value = JSON.parse(`"${value}"`) as string;
      } catch {
        continue;
      }
    }
    seenKey[k] = 1;
    found[k] = value;
    let at = touched.length; // kept in SEARCH_KEYS order (a handful: an insertion)
    touched.push(k);
    for (; at > 0 && touched[at - 1] > k; at--) touched[at] = touched[at - 1];
    touched[at] = k;
  }
  if (touched.length === 0) return NONE;
  let label = "";
  for (const k of labelNumbers(name)) {
    if (k >= 0 && found[k]) {
      label = found[k].length > LABEL_MAX ? `${found[k].slice(0, LABEL_MAX - 1)}…` : found[k];
      break;
    }
  }
  let search = "";
  let values = 0;
  for (const k of touched) {
    const v = found[k];
    if (!v) continue;
    let repeat = false;
    for (const j of touched) {
      if (j >= k) break;
      if (found[j] === v) repeat = true;
    }
    if (repeat) continue;
    search = values++ === 0 ? v : `${search}\n${v}`;
  }
  for (const k of touched) {
    seenKey[k] = 0;
    found[k] = "";
  }
  touched.length = 0;
  return values === 0 ? NONE : { label, search };
}

/** spanLabels' label alone. */
export function spanLabel(name: string, r: SpanRecord): string {
  return spanLabels(name, r).label;
}

/** `"<one of SEARCH_KEYS>":"<a JSON string>"`: inside a JSON string every quote is escaped, so this is a key. */
const VALUES_RE = new RegExp(`"(${SEARCH_KEYS.map((k) => k.replace(/\./g, "\\.")).join("|")})":"((?:[^"\\\\]|\\\\.)*)"`, "g");

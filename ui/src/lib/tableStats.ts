// What the page counts over a whole table (the session head's counts, whether a span still runs): one pass per
// table, kept with it, whoever asks.
import { CATEGORIES } from "../trace/categories";
import { STATUS_ERROR, STATUS_RUNNING, type RowTable } from "../trace/table";

export interface TableStats {
  errors: number;
  /** LLM calls: canonical llm.generate spans count each call once; without them, spans of the llm kind */
  llm: number;
  /** tool calls: tool.call spans, else spans of the tool kind */
  tools: number;
  /** some span is still running (or never ended) */
  running: boolean;
}

const LLM = CATEGORIES.indexOf("llm");
const TOOL = CATEGORIES.indexOf("tool");
const stats = new WeakMap<RowTable, TableStats>();

export function tableStats(table: RowTable): TableStats {
  const known = stats.get(table);
  if (known) return known;
  const llmName = table.nameTexts.indexOf("llm.generate");
  const toolName = table.nameTexts.indexOf("tool.call");
  let errors = 0;
  let llmSpans = 0;
  let toolSpans = 0;
  let llmCalls = 0;
  let toolCalls = 0;
  let running = false;
  for (let i = 0; i < table.n; i++) {
    const status = table.status[i];
    if (status === STATUS_ERROR) errors++;
    else if (status === STATUS_RUNNING) running = true;
    const cat = table.cat[i];
    if (cat === LLM) llmSpans++;
    else if (cat === TOOL) toolSpans++;
    const name = table.nameIndex[i];
    if (name === llmName) llmCalls++;
    else if (name === toolName) toolCalls++;
  }
  const s = { errors, llm: llmCalls || llmSpans, tools: toolCalls || toolSpans, running };
  stats.set(table, s);
  return s;
}

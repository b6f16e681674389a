// Timestamps: RFC 3339 strings with microseconds → milliseconds since the epoch (fractional), and formatting.

let lastHourKey = "";
let lastHourMs = 0;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/** Fast path for the trace format "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (one Date.UTC per distinct hour). */
function parseUtcFast(v: string): number {
  const n = v.length;
  if (n < 20 || v.charCodeAt(n - 1) !== 90 /* Z */ || v[10] !== "T" || v[13] !== ":" || v[16] !== ":") return Number.NaN;
  const key = v.slice(0, 13);
  if (key !== lastHourKey) {
    const ms = Date.UTC(Number(v.slice(0, 4)), two(v, 5) - 1, two(v, 8), two(v, 11));
    if (Number.isNaN(ms)) return ms;
    lastHourKey = key;
    lastHourMs = ms;
  }
  let ms = lastHourMs + two(v, 14) * 60000 + two(v, 17) * 1000;
  if (n > 20 && v[19] === ".") {
    let scale = 100;
    for (let i = 20; i < n - 1; i++) {
      const d = digit(v, i);
      if (d < 0 || d > 9) return Number.NaN;
      ms += d * scale;
      scale /= 10;
    }
  } else if (n !== 20) return Number.NaN;
  return ms;
}

/** Parse an RFC 3339 timestamp keeping microseconds as a fraction of a millisecond; NaN when invalid. */
export function parseTime(value: string | null | undefined): number {
  if (!value) return Number.NaN;
  const fast = parseUtcFast(value);
  if (!Number.isNaN(fast)) return fast;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return ms;
  const dot = value.indexOf(".", 17);
  if (dot < 0) return ms;
  let end = dot + 1;
  while (end < value.length && value.charCodeAt(end) >= 48 && value.charCodeAt(end) <= 57) end++;
  const frac = value.slice(dot + 4, Math.min(end, dot + 7));
  if (!frac) return ms;
  return ms + Number(frac.padEnd(3, "0")) / 1000;
}

/** A duration in words a developer reads at a glance: 850 µs, 12.3 ms, 4.21 s, 3m 05s, 2h 04m. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 9.995) return `${ms.toFixed(2)} ms`;
  if (ms < 99.95) return `${ms.toFixed(1)} ms`;
  if (ms < 999.5) return `${ms.toFixed(0)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** Local wall-clock time, with the date when it is not today. */
export function formatStart(value: string | null | undefined, now: Date = new Date()): string {
  const ms = parseTime(value);
  if (Number.isNaN(ms)) return "–";
  const d = new Date(ms);
  const time = d.toLocaleTimeString(undefined, { hour12: false });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { month: "short", day: "numeric" })} ${time}`;
}

/** "12s ago", "3m ago", ... */
export function formatAgo(value: string | null | undefined, now: number = Date.now()): string {
  const ms = parseTime(value);
  if (Number.isNaN(ms)) return "";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

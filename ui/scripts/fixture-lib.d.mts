export function isoMicros(us: number): string;
export function makeTraceLines(opts?: {
  spans?: number;
  sessionId?: string;
  seed?: number;
  running?: boolean;
  startUs?: number;
  title?: string;
}): string[];

// The trace-storage banner: one problem built from GET /sessions' `storage` or from a StorageError event.
import type { StorageInfo } from "./types";

export interface StorageProblem {
  key: "storage";
  kind: "storage";
  message: string;
}

export function storageProblem(path: string | null | undefined, message: string | null | undefined): StorageProblem {
  const text = message || "the trace files cannot be written";
  return { key: "storage", kind: "storage", message: `Traces are not being saved${path ? ` (${path})` : ""}: ${text}` };
}

/** The banner for the current storage state, or null when it is fine (or the gateway does not say). */
export function problemOfStorage(storage: StorageInfo | null | undefined): StorageProblem | null {
  if (!storage || storage.state !== "failing") return null;
  return storageProblem(storage.path, storage.message);
}

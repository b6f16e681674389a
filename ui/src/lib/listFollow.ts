// The sessions list kept current when its files change outside this gateway's process, which sends the page no
// event for them: `serve` over a running app's traces dir, a Temporal worker's sessions, a second app on one dir.
// The list is read again 3 s after a read that changed it, the wait doubling to 30 s while nothing changes; not
// while the page is hidden (it is read as soon as the page shows again), and not when another read (after an
// event, a reconnect, a click) came within the wait: a gateway in the app's own process is not read twice as often.

export const FOLLOW_MIN_MS = 3000;
export const FOLLOW_MAX_MS = 30000;

/** The wait before the next read: short after a change, doubling while nothing changes. */
export function nextWait(previous: number, changed: boolean): number {
  return changed ? FOLLOW_MIN_MS : Math.min(previous * 2, FOLLOW_MAX_MS);
}

/** Call `read` (true when the list changed) for as long as the page lives; `lastRead` is when any read last ran
 * (ms, `Date.now()`); no read while `refused()` (the token was rejected: no request is sent that would get a 401). */
export function followList(read: () => Promise<boolean>, lastRead: () => number = () => 0, refused: () => boolean = () => false): void {
  let wait = FOLLOW_MIN_MS;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let reading = false;
  const hidden = (): boolean => typeof document !== "undefined" && document.visibilityState === "hidden";
  const schedule = (delay = wait): void => {
    timer = setTimeout(() => void tick(), delay);
  };
  const tick = async (): Promise<void> => {
    timer = null;
    if (hidden()) return; // the visibilitychange listener reads again when the page shows
    if (refused()) {
      schedule();
      return;
    }
    const since = Date.now() - lastRead();
    if (since < wait) {
      schedule(wait - since);
      return;
    }
    reading = true;
    let changed = false;
    try {
      changed = await read();
    } finally {
      reading = false;
    }
    wait = nextWait(wait, changed);
    schedule();
  };
  if (typeof document !== "undefined") {
    document.addEventListener("visibilitychange", () => {
      if (hidden() || timer !== null || reading) return;
      wait = FOLLOW_MIN_MS;
      void tick();
    });
  }
  schedule();
}

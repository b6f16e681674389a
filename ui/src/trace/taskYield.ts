// A long read lets queued tasks in (the page's messages: a span's detail, a refresh; the answers of fetches): while
// data is buffered, every await of the read resolves as a microtask, so without a yield nothing else runs until the
// whole read ends. A yield is a message to ourselves (a task, with none of setTimeout's clamping), at most every
// SLICE_MS of work.

const SLICE_MS = 50;
let sliceStart = 0;
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

function postToSelf(resolve: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    (channel.port1 as { unref?: () => void }).unref?.(); // node (tests): the port keeps no process alive
  }
  waiting.push(resolve);
  channel.port2.postMessage(null);
}

/** Resolves at once within a slice of work; after SLICE_MS, once the tasks queued meanwhile have run. */
export async function yieldToTasks(): Promise<void> {
  const now = performance.now();
  if (now - sliceStart < SLICE_MS) return;
  await new Promise<void>(postToSelf);
  sliceStart = performance.now();
}

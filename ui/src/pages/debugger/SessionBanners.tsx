// The banners under the session head: the session's error, the resume panel of a paused run, the answer sent,
// and a trace whose last line is still being written.
import { useState } from "react";
import { ResumePanel } from "../../components/ResumePanel";
import type { SessionInfo, WaitingInfo } from "../../lib/types";

interface Props {
  sessionId: string;
  session: SessionInfo | undefined;
  waiting: WaitingInfo | null;
  status: string;
  live: boolean;
  partialTail: boolean;
}

export function SessionBanners({ sessionId, session, waiting, status, live, partialTail }: Props): JSX.Element {
  const [sentSignal, setSentSignal] = useState<string | null>(null);
  return (
    <>
      {session?.error && <div className="banner banner-error" data-testid="session-error"><strong>Failed</strong><span className="banner-msg">{session.error}</span></div>}
      {status === "paused" && (
        <ResumePanel key={`${sessionId}-${waiting?.signal_name ?? ""}`} sessionId={sessionId} waiting={waiting} onSent={setSentSignal} />
      )}
      {sentSignal && status !== "paused" && (
        <div className="banner banner-ok" role="status" data-testid="resume-sent">
          <strong>Answer sent</strong>
          <span className="banner-msg">
            Signal <span className="mono">{sentSignal}</span> delivered; {live ? "the run continues…" : `the run is ${status}.`}
          </span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setSentSignal(null)}>
            ×
          </button>
        </div>
      )}
      {partialTail && live && <div className="hint">The last line of the trace is still being written.</div>}
    </>
  );
}

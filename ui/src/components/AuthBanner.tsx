import { useState, useSyncExternalStore } from "react";
import { exchangeToken, tokenFromInput, tokenRefused, useAuth } from "../lib/auth";
import { loadSessions } from "../lib/sessions";
import { eventStream } from "../lib/sse";

const subscribe = (fn: () => void): (() => void) => eventStream.onState(fn);

/** "Token rejected": says why and how to get a fresh link, and takes a pasted link or token. */
export function AuthBanner(): JSX.Element | null {
  const auth = useAuth();
  const conn = useSyncExternalStore(subscribe, () => eventStream.getState());
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const signedOut = auth === "signedOut";
  if (!tokenRefused(auth, conn)) return null;

  const submit = async (): Promise<void> => {
    const given = tokenFromInput(text);
    if (!given) {
      setError("Paste the whole link (it contains ?token=…) or the token itself.");
      return;
    }
    const result = await exchangeToken(given);
    if (result === "ok") {
      setText("");
      setError(null);
      eventStream.restart();
      void loadSessions();
    } else {
      setError(result === "rejected" ? "That token is not accepted either." : "Server not reachable.");
    }
  };

  return (
    <div className="banner banner-error auth-banner" role="alert" data-testid="auth-banner" data-state={signedOut ? "signed-out" : "rejected"}>
      <strong>{signedOut ? "Signed out" : "Token rejected"}</strong>
      <span className="banner-msg">
        {signedOut
          ? "This browser no longer holds the inspector's cookie. "
          : "The inspector is running but does not accept this page's token (its token changed, or this browser has " +
            "not opened one of its links). "}
        Open the link the app printed, or run <code>mcp-agent-inspector url</code> for the traces dir, or paste the
        link here:
      </span>
      <form
        className="auth-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input
          className="input"
          data-testid="auth-token-input"
          aria-label="Fresh link or token"
          placeholder={`${window.location.origin}/_inspector/ui/?token=…`}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn" data-testid="auth-token-submit">
          Use it
        </button>
      </form>
      {error && (
        <span className="auth-error" data-testid="auth-error">
          {error}
        </span>
      )}
    </div>
  );
}

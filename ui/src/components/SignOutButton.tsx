import { useState } from "react";
import { signOut, useAuth } from "../lib/auth";
import { eventStream } from "../lib/sse";

/** "Sign out": clears the auth cookie (DELETE /auth) and this tab's token; the page then asks for a fresh link. */
export function SignOutButton(): JSX.Element | null {
  const auth = useAuth();
  const [failed, setFailed] = useState(false);
  if (auth === "signedOut" || auth === "rejected") return null;

  const click = async (): Promise<void> => {
    eventStream.stop();
    const done = await signOut();
    setFailed(!done);
    if (done) eventStream.stop("unauthorized");
    else eventStream.restart();
  };

  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="sign-out"
      title={failed ? "Server not reachable: not signed out" : "Forget this browser's access (clears the cookie)"}
      onClick={() => void click()}
    >
      Sign out
    </button>
  );
}

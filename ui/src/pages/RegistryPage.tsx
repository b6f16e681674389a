import { useEffect, useState } from "react";
import { describeError, getJson } from "../lib/api";
import { sessionHref } from "../lib/router";
import { formatStart } from "../lib/time";

interface RegistrySession {
  id: string;
  title: string;
  started_at: string | null;
  status: string;
  spans: string[];
}

interface RegistryEntry {
  name: string;
  uses: number;
  sessions: RegistrySession[];
}

interface Registry {
  resources: RegistryEntry[];
  prompts: RegistryEntry[];
}

/** Sessions listed per entry before "show all": the newest first, so a long-running app's page stays short. */
export const SHOWN_SESSIONS = 10;

function SessionItem({ s }: { s: RegistrySession }): JSX.Element {
  return (
    <li data-testid="registry-session" data-session-id={s.id}>
      <a href={sessionHref(s.id, s.spans[0] ?? null)}>{s.title}</a> <span className="dim small">{formatStart(s.started_at ?? undefined)}</span>{" "}
      {s.spans.map((span, i) => (
        <a key={span} className="link-btn small" href={sessionHref(s.id, span)} data-testid="registry-span" title={`span ${span}`}>
          #{i + 1}
        </a>
      ))}
    </li>
  );
}

function EntryRow({ kind, e }: { kind: string; e: RegistryEntry }): JSX.Element {
  const [all, setAll] = useState(false);
  const shown = all ? e.sessions : e.sessions.slice(0, SHOWN_SESSIONS);
  return (
    <tr data-testid={`registry-${kind}`} data-name={e.name}>
      <td className="mono">{e.name}</td>
      <td className="col-num mono">{e.uses}</td>
      <td>
        <ul className="registry-sessions">
          {shown.map((s) => (
            <SessionItem key={s.id} s={s} />
          ))}
        </ul>
        {shown.length < e.sessions.length && (
          <button type="button" className="link-btn small" data-testid="registry-show-all" onClick={() => setAll(true)}>
            show all {e.sessions.length} sessions
          </button>
        )}
      </td>
    </tr>
  );
}

function Section({ title, kind, entries, what }: { title: string; kind: string; entries: RegistryEntry[]; what: string }): JSX.Element {
  return (
    <section className="registry-section" data-testid={`registry-section-${kind}`}>
      <h2 className="section-title">
        {title} <span className="dim small">{entries.length}</span>
      </h2>
      {entries.length === 0 ? (
        <p className="dim pad">No {what} used in the traces yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{kind === "resource" ? "URI" : "Template"}</th>
              <th className="col-num">Uses</th>
              <th>Sessions and spans</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <EntryRow key={e.name} kind={kind} e={e} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Every resource URI and prompt template across the traces, with the sessions and spans that used them. */
export function RegistryPage(): JSX.Element {
  const [data, setData] = useState<Registry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (): void => {
    getJson<Registry>("/registry")
      .then((r) => {
        setData(r);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(e)));
  };
  useEffect(load, []);
  return (
    <div className="page registry-page" data-testid="registry-page">
      <div className="toolbar">
        <h1 className="page-title">Resources &amp; prompts</h1>
        <div className="toolbar-spacer" />
        <button type="button" className="btn" onClick={load} title="Reload">
          ↻
        </button>
      </div>
      {error && <div className="banner banner-error">{error}</div>}
      {!data && !error && <div className="empty-state">Loading…</div>}
      {data && (
        <>
          <Section title="Resources" kind="resource" entries={data.resources} what="resource" />
          <Section title="Prompts" kind="prompt" entries={data.prompts} what="prompt template" />
        </>
      )}
    </div>
  );
}

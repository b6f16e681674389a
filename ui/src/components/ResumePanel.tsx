import { useMemo, useState } from "react";
import { describeError, sendSignal } from "../lib/api";
import { markResumed } from "../lib/sessions";
import type { WaitingInfo } from "../lib/types";
import { buildPayload, formFromSchema, initialValues, type Field, type FormValues } from "../schema/form";

function FieldInput({ f, values, errors, set }: { f: Field; values: FormValues; errors: Record<string, string>; set: (p: string, v: string | boolean) => void }): JSX.Element {
  const id = `f-${f.path || "payload"}`;
  if (f.kind === "object" && f.children) {
    return (
      <fieldset className="form-group">
        <legend>{f.label}</legend>
        {f.description && <p className="help">{f.description}</p>}
        {f.children.map((c) => (
          <FieldInput key={c.path} f={c} values={values} errors={errors} set={set} />
        ))}
      </fieldset>
    );
  }
  const err = errors[f.path];
  const v = values[f.path];
  let input: JSX.Element;
  switch (f.kind) {
    case "boolean":
      input = (
        <label className="check">
          <input id={id} type="checkbox" checked={v === true} data-testid={`field-${f.path}`} onChange={(e) => set(f.path, e.target.checked)} /> {f.label}
        </label>
      );
      break;
    case "enum":
      input = (
        <select id={id} value={String(v ?? "")} data-testid={`field-${f.path}`} onChange={(e) => set(f.path, e.target.value)}>
          <option value="">Choose…</option>
          {(f.options ?? []).map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </select>
      );
      break;
    case "text":
    case "json":
      input = (
        <textarea
          id={id}
          rows={f.kind === "json" ? 5 : 3}
          className={f.kind === "json" ? "mono" : ""}
          value={String(v ?? "")}
          placeholder={f.kind === "json" ? "JSON value" : "Your answer"}
          data-testid={`field-${f.path || "payload"}`}
          onChange={(e) => set(f.path, e.target.value)}
        />
      );
      break;
    default:
      input = (
        <input
          id={id}
          type={f.kind === "number" || f.kind === "integer" ? "number" : "text"}
          step={f.kind === "integer" ? 1 : "any"}
          value={String(v ?? "")}
          data-testid={`field-${f.path}`}
          onChange={(e) => set(f.path, e.target.value)}
        />
      );
  }
  return (
    <div className={`form-row ${err ? "has-error" : ""}`}>
      {f.kind !== "boolean" && (
        <label htmlFor={id}>
          {f.label}
          {f.required && <span className="req" title="required"> *</span>}
          <span className="dim small"> {f.kind}</span>
        </label>
      )}
      {input}
      {f.description && <p className="help">{f.description}</p>}
      {err && <p className="field-error" role="alert">{err}</p>}
    </div>
  );
}

export function ResumePanel({
  sessionId,
  waiting,
  onSent,
}: {
  sessionId: string;
  waiting: WaitingInfo | null;
  onSent?: (signal: string) => void;
}): JSX.Element {
  const spec = useMemo(() => formFromSchema(waiting?.schema), [waiting]);
  const [values, setValues] = useState<FormValues>(() => initialValues(spec));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const signal = waiting?.signal_name ?? "human_input_answer";

  const set = (p: string, v: string | boolean): void => setValues((old) => ({ ...old, [p]: v }));

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const built = buildPayload(spec, values);
    setErrors(built.errors);
    if (Object.keys(built.errors).length) return;
    setBusy(true);
    setError(null);
    try {
      await sendSignal(sessionId, signal, built.payload);
      setSent(true);
      onSent?.(signal);
      markResumed(sessionId);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="resume-panel" onSubmit={(e) => void submit(e)} data-testid="resume-panel">
      <div className="resume-head">
        <span className="badge badge-paused"><span className="badge-dot" />PAUSED</span>
        <span>
          Waiting on signal <span className="mono strong">{signal}</span>
        </span>
      </div>
      {waiting?.prompt ? (
        <p className="resume-prompt" data-testid="resume-prompt">{waiting.prompt}</p>
      ) : (
        <p className="dim small">{waiting ? "The workflow did not give a prompt." : "The waiting prompt is not known to this page; your answer is sent as a text response."}</p>
      )}
      <div className="resume-fields">
        {spec.fields.map((f) => (
          <FieldInput key={f.path || "payload"} f={f} values={values} errors={errors} set={set} />
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="resume-error">
          {error}
        </p>
      )}
      {sent && !error && <p className="ok-line" data-testid="resume-sent-inline">Sent. The run continues…</p>}
      <div className="resume-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="resume-submit">
          {busy ? "Sending…" : "Resume"}
        </button>
        {spec.plainText && <span className="dim small">sent as {'{"response": "…"}'}</span>}
      </div>
    </form>
  );
}

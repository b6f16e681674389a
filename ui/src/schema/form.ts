// A form from the JSON schema of the payload a paused workflow waits for, and the payload from the answers.
import type { JsonSchema } from "../lib/types";

export type FieldKind = "string" | "text" | "number" | "integer" | "boolean" | "enum" | "object" | "json";

export interface Field {
  /** Dotted path of the value inside the payload ("" for a whole-payload text answer). */
  path: string;
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  options?: unknown[];
  defaultValue?: unknown;
  children?: Field[];
}

export interface FormSpec {
  fields: Field[];
  /** True when the answer is a plain text sent as {"response": text} (human_input without a schema). */
  plainText: boolean;
}

export type FormValues = Record<string, string | boolean>;

function typeOf(schema: JsonSchema): string | undefined {
  const t = schema.type;
  if (Array.isArray(t)) return t.find((x) => x !== "null");
  return t;
}

function labelFor(name: string, schema: JsonSchema): string {
  if (schema.title) return schema.title;
  const words = name.replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : name;
}

function fieldFor(name: string, path: string, schema: JsonSchema, required: boolean, depth: number): Field {
  const base = {
    path,
    name,
    label: labelFor(name, schema),
    required,
    description: schema.description,
    defaultValue: schema.default,
  };
  if (Array.isArray(schema.enum) && schema.enum.length) return { ...base, kind: "enum", options: schema.enum };
  if (schema.const !== undefined) return { ...base, kind: "enum", options: [schema.const] };
  const t = typeOf(schema);
  switch (t) {
    case "string":
      return { ...base, kind: schema.format === "textarea" || /text|answer|response|comment|feedback/i.test(name) ? "text" : "string" };
    case "number":
      return { ...base, kind: "number" };
    case "integer":
      return { ...base, kind: "integer" };
    case "boolean":
      return { ...base, kind: "boolean" };
    case "object":
      if (schema.properties && depth < 4) {
        const req = new Set(schema.required ?? []);
        return {
          ...base,
          kind: "object",
          children: Object.entries(schema.properties).map(([k, s]) =>
            fieldFor(k, path ? `${path}.${k}` : k, s, req.has(k), depth + 1),
          ),
        };
      }
      return { ...base, kind: "json" };
    default:
      return { ...base, kind: "json" };
  }
}

/** Build the form for a waiting signal. No schema (or a lone "response" string) means a plain text answer. */
export function formFromSchema(schema: JsonSchema | null | undefined): FormSpec {
  if (!schema || typeof schema !== "object") {
    return { plainText: true, fields: [{ path: "response", name: "response", label: "Response", kind: "text", required: true }] };
  }
  const t = typeOf(schema);
  if (t === "object" || schema.properties) {
    const props = schema.properties ?? {};
    const req = new Set(schema.required ?? []);
    const fields = Object.entries(props).map(([k, s]) => fieldFor(k, k, s, req.has(k), 0));
    if (!fields.length) return { plainText: false, fields: [{ path: "", name: "payload", label: "Payload (JSON)", kind: "json", required: false }] };
    const plainText = fields.length === 1 && fields[0].name === "response" && (fields[0].kind === "text" || fields[0].kind === "string");
    return { plainText, fields };
  }
  // A non-object schema: the whole payload is one value.
  return { plainText: false, fields: [fieldFor("value", "", schema, true, 0)] };
}

/** Flat initial values keyed by path: defaults, else empty. */
export function initialValues(spec: FormSpec): FormValues {
  const out: FormValues = {};
  const visit = (fields: Field[]): void => {
    for (const f of fields) {
      if (f.kind === "object" && f.children) visit(f.children);
      else if (f.kind === "boolean") out[f.path] = f.defaultValue === true;
      else if (f.defaultValue !== undefined)
        out[f.path] = f.kind === "json" ? JSON.stringify(f.defaultValue, null, 2) : String(f.defaultValue);
      else out[f.path] = "";
    }
  };
  visit(spec.fields);
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let obj = target;
  for (const p of parts.slice(0, -1)) {
    if (!obj[p] || typeof obj[p] !== "object") obj[p] = {};
    obj = obj[p] as Record<string, unknown>;
  }
  obj[parts[parts.length - 1]] = value;
}

export interface BuildResult {
  payload: unknown;
  errors: Record<string, string>;
}

/** Turn the form's values into the signal payload, with an error in words per invalid field. */
export function buildPayload(spec: FormSpec, values: FormValues): BuildResult {
  const errors: Record<string, string> = {};
  let root: unknown = {};
  const put = (path: string, v: unknown): void => {
    if (path === "") root = v;
    else setPath(root as Record<string, unknown>, path, v);
  };
  const visit = (fields: Field[]): void => {
    for (const f of fields) {
      if (f.kind === "object" && f.children) {
        visit(f.children);
        continue;
      }
      const raw = values[f.path];
      if (f.kind === "boolean") {
        put(f.path, raw === true);
        continue;
      }
      const text = typeof raw === "string" ? raw : "";
      if (text.trim() === "") {
        if (f.required) errors[f.path] = `${f.label} is required`;
        continue;
      }
      switch (f.kind) {
        case "number":
        case "integer": {
          const n = Number(text);
          if (!Number.isFinite(n)) errors[f.path] = `${f.label} must be a number`;
          else if (f.kind === "integer" && !Number.isInteger(n)) errors[f.path] = `${f.label} must be a whole number`;
          else put(f.path, n);
          break;
        }
        case "enum": {
          const opt = (f.options ?? []).find((o) => String(o) === text);
          if (opt === undefined) errors[f.path] = `${f.label} must be one of ${(f.options ?? []).map(String).join(", ")}`;
          else put(f.path, opt);
          break;
        }
        case "json":
          try {
            put(f.path, JSON.parse(text));
          } catch {
            errors[f.path] = `${f.label} must be valid JSON`;
          }
          break;
        default:
          put(f.path, text);
      }
    }
  };
  visit(spec.fields);
  return { payload: root, errors };
}

import { describe, expect, it } from "vitest";
import { buildPayload, formFromSchema, initialValues } from "./form";

describe("schema form", () => {
  it("no schema: a plain text answer sent as {response}", () => {
    const spec = formFromSchema(null);
    expect(spec.plainText).toBe(true);
    expect(buildPayload(spec, { response: "yes please" })).toEqual({ payload: { response: "yes please" }, errors: {} });
    expect(buildPayload(spec, { response: " " }).errors).toEqual({ response: "Response is required" });
  });

  it("string, number, integer, boolean, enum and nested object fields", () => {
    const spec = formFromSchema({
      type: "object",
      required: ["name", "count"],
      properties: {
        name: { type: "string", title: "Your name" },
        ratio: { type: "number", default: 0.5 },
        count: { type: "integer" },
        ok: { type: "boolean", default: true },
        level: { type: "string", enum: ["low", "high"] },
        address: { type: "object", required: ["city"], properties: { city: { type: "string" }, zip: { type: ["integer", "null"] } } },
        tags: { type: "array", items: { type: "string" } },
      },
    });
    expect(spec.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["name", "string", true],
      ["ratio", "number", false],
      ["count", "integer", true],
      ["ok", "boolean", false],
      ["level", "enum", false],
      ["address", "object", false],
      ["tags", "json", false],
    ]);
    expect(spec.fields[0].label).toBe("Your name");
    const values = initialValues(spec);
    expect(values).toMatchObject({ ratio: "0.5", ok: true, "address.city": "" });
    const bad = buildPayload(spec, { ...values, count: "2.5", level: "mid", tags: "[oops" });
    expect(bad.errors).toEqual({
      name: "Your name is required",
      count: "Count must be a whole number",
      level: "Level must be one of low, high",
      "address.city": "City is required",
      tags: "Tags must be valid JSON",
    });
    const good = buildPayload(spec, { ...values, name: "Ada", count: "3", level: "high", "address.city": "Paris", "address.zip": "75001", tags: '["a"]' });
    expect(good.errors).toEqual({});
    expect(good.payload).toEqual({ name: "Ada", ratio: 0.5, count: 3, ok: true, level: "high", address: { city: "Paris", zip: 75001 }, tags: ["a"] });
  });

  it("a lone response property is a plain text answer", () => {
    const spec = formFromSchema({ type: "object", properties: { response: { type: "string" } }, required: ["response"] });
    expect(spec.plainText).toBe(true);
    expect(buildPayload(spec, { response: "go" }).payload).toEqual({ response: "go" });
  });

  it("a non-object schema makes the whole payload one value", () => {
    const spec = formFromSchema({ type: "integer" });
    expect(buildPayload(spec, { "": "4" }).payload).toBe(4);
  });
});

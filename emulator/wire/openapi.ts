// Checks emulator responses against Twilio's OpenAPI specs (emulator/openapi/, copies of twilio-oai):
// (method, path) → operation → response schema, with $refs inlined, `nullable` turned into JSON
// Schema, and objects made strict (every declared field present, no undeclared field), so a
// missing, extra or mistyped field is reported with the operation and the field's path.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import * as fs from "node:fs";
import * as path from "node:path";

type Schema = Record<string, unknown>;

export interface Operation {
  operationId: string;
  method: "GET" | "POST" | "DELETE";
  /** Path template as in the spec, e.g. /v1/Workspaces/{WorkspaceSid}/Workers/{Sid} */
  template: string;
  /** The success status the spec declares (200, 201 or 204). */
  status: number;
  /** Strict JSON Schema of the success body (undefined for 204). */
  schema?: Schema;
}

export const SPEC_FILES = ["twilio_taskrouter_v1.json", "twilio_api_v2010.json"];

export function specDir(): string {
  return process.env.TWILIO_OAI_DIR ?? path.join(__dirname, "openapi");
}

const KEEP = new Set([
  "type",
  "properties",
  "items",
  "enum",
  "format",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
]);

/** OpenAPI 3.0 schema → strict JSON Schema (draft-07 subset Ajv understands). */
function convert(node: unknown, components: Record<string, Schema>, seen: string[] = []): Schema {
  let s = node as Schema;
  if (typeof s.$ref === "string") {
    const name = s.$ref.replace("#/components/schemas/", "");
    if (seen.includes(name)) throw new Error(`openapi: recursive $ref ${name}`);
    const target = components[name];
    if (!target) throw new Error(`openapi: unresolved $ref ${s.$ref}`);
    const { $ref: _ignored, ...rest } = s;
    void _ignored;
    s = { ...target, ...rest };
    seen = [...seen, name];
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (!KEEP.has(k)) continue;
    if (k === "properties") {
      const props: Record<string, Schema> = {};
      for (const [pk, pv] of Object.entries(v as Record<string, unknown>))
        props[pk] = convert(pv, components, seen);
      out.properties = props;
    } else if (k === "items") out.items = convert(v, components, seen);
    else out[k] = v;
  }
  // Ajv formats apply to strings only: express the object formats structurally.
  if (out.format === "uri-map") {
    delete out.format;
    out.additionalProperties = { type: "string", format: "uri" };
  }
  if (out.format === "phone-number-capabilities") delete out.format;
  if (out.properties) {
    out.type = out.type ?? "object";
    out.required = Object.keys(out.properties as object);
    out.additionalProperties = false;
  }
  if (s.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

// API 2010 declares `format: uri` for relative URIs ("/2010-04-01/…"), as Twilio sends them, so a
// URI here is an absolute URL or an absolute path (an RFC 3986 URI reference).
const isUri = (v: string) => {
  try {
    new URL(v, "http://relative.invalid");
    if (!/^[a-z][a-z0-9+.-]*:/i.test(v) && !v.startsWith("/")) return false;
    return true;
  } catch {
    return false;
  }
};

function makeAjv(): Ajv {
  return new Ajv({
    allErrors: true,
    strict: true,
    formats: {
      "date-time": /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
      "date-time-rfc-2822":
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/,
      uri: isUri,
      "phone-number": /^\+[1-9]\d{1,14}$/,
      "http-method": /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/,
      int64: { type: "number", validate: (n: number) => Number.isInteger(n) },
    },
  });
}

export class OpenApi {
  readonly operations: Operation[] = [];
  private readonly matchers: Array<{ op: Operation; regex: RegExp }> = [];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = makeAjv();

  constructor(dir = specDir()) {
    for (const file of SPEC_FILES) {
      const full = path.join(dir, file);
      if (!fs.existsSync(full))
        throw new Error(`openapi: spec ${full} not found (set TWILIO_OAI_DIR)`);
      const spec = JSON.parse(fs.readFileSync(full, "utf8")) as {
        paths: Record<string, Record<string, Schema>>;
        components: { schemas: Record<string, Schema> };
      };
      for (const [template, item] of Object.entries(spec.paths)) {
        for (const method of ["get", "post", "delete"] as const) {
          const op = item[method] as
            | {
                operationId: string;
                responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
              }
            | undefined;
          if (!op) continue;
          const [status, resp] =
            Object.entries(op.responses).find(([code]) => /^2\d\d$/.test(code)) ?? [];
          if (!status || !resp) continue;
          const json = resp.content?.["application/json"]?.schema;
          const operation: Operation = {
            operationId: op.operationId,
            method: method.toUpperCase() as Operation["method"],
            template,
            status: Number(status),
            schema: json ? convert(json, spec.components.schemas) : undefined,
          };
          this.operations.push(operation);
          this.matchers.push({ op: operation, regex: templateRegex(template) });
        }
      }
    }
  }

  byTemplate(method: string, template: string): Operation | undefined {
    return this.operations.find((o) => o.method === method && o.template === template);
  }

  /**
   * The operation serving a concrete path. Literal segments beat parameters, so
   * /Workers/Statistics maps to FetchWorkerStatistics rather than FetchWorker.
   */
  find(method: string, concretePath: string): Operation | undefined {
    const hits = this.matchers.filter((m) => m.op.method === method && m.regex.test(concretePath));
    hits.sort((a, b) => literalCount(b.op.template) - literalCount(a.op.template));
    return hits[0]?.op;
  }

  /** Problems with one response; empty when it conforms. */
  check(method: string, concretePath: string, status: number, body: unknown): string[] {
    const op = this.find(method, concretePath);
    if (!op) {
      // Unknown routes still owe Twilio's error shape.
      if (status >= 400)
        return checkError(`${method} ${concretePath} (no operation)`, status, body);
      return [`${method} ${concretePath}: no operation in Twilio's OpenAPI specs`];
    }
    const where = `${op.operationId} (${method} ${concretePath})`;
    if (status >= 400) return checkError(where, status, body);
    if (status !== op.status) return [`${where}: status ${status}, the spec declares ${op.status}`];
    if (!op.schema)
      return body === null || body === undefined
        ? []
        : [`${where}: body sent where none is declared`];
    let validate = this.validators.get(op.operationId);
    if (!validate) {
      validate = this.ajv.compile(op.schema);
      this.validators.set(op.operationId, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}: field ${fieldOf(e)} ${e.message ?? "is invalid"}`,
    );
  }
}

function literalCount(template: string): number {
  return template.split("/").filter((s) => s && !s.includes("{")).length;
}

function templateRegex(template: string): RegExp {
  const source = template
    .split(/(\{[A-Za-z]+\})/)
    .map((p) => (/^\{[A-Za-z]+\}$/.test(p) ? "[^/]+?" : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

function fieldOf(e: ErrorObject): string {
  const params = e.params as { additionalProperty?: string; missingProperty?: string };
  const base = e.instancePath === "" ? "(body)" : e.instancePath;
  if (params.additionalProperty)
    return `${base === "(body)" ? "" : base}/${params.additionalProperty} (undeclared)`;
  if (params.missingProperty)
    return `${base === "(body)" ? "" : base}/${params.missingProperty} (missing)`;
  return base;
}

/** Twilio's legacy error body: exactly {code, message, more_info, status}. */
function checkError(where: string, status: number, body: unknown): string[] {
  const problems: string[] = [];
  if (body === null || typeof body !== "object")
    return [`${where}: error ${status} without a JSON body`];
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b).sort().join(",");
  if (keys !== "code,message,more_info,status")
    problems.push(`${where}: error body fields are ${keys}`);
  if (!Number.isInteger(b.code)) problems.push(`${where}: field /code is not an integer`);
  if (typeof b.message !== "string" || b.message === "")
    problems.push(`${where}: field /message is empty`);
  if (b.more_info !== `https://www.twilio.com/docs/errors/${String(b.code)}`) {
    problems.push(`${where}: field /more_info is ${JSON.stringify(b.more_info)}`);
  }
  if (b.status !== status)
    problems.push(`${where}: field /status is ${String(b.status)}, HTTP status ${status}`);
  return problems;
}

// The call handlers' bundles: one esbuild bundle per route at dist/functions/<route name>.js, each
// exporting `handler`, with nothing from twilio beyond the two small modules the handlers use.
// Build-time code (Lambda never runs it), used by the Pulumi program, `npm run build` and the
// bench.
import * as path from "node:path";
import * as esbuild from "esbuild";
import { ROUTES, type RouteName } from "./routes";

const ROOT = path.resolve(__dirname, "..", "..");
export const DEFAULT_OUT_DIR = path.join(ROOT, "dist", "functions");

/** The only twilio modules a handler may pull in (the full package is ~21 MB). */
export const ALLOWED_TWILIO_INPUTS = [
  "node_modules/twilio/lib/twiml/VoiceResponse.js",
  "node_modules/twilio/lib/twiml/TwiML.js", // VoiceResponse's base class
  "node_modules/twilio/lib/webhooks/webhooks.js",
] as const;

/** Lambda's Node.js runtime: nodejs22.x or newer runs this syntax. */
export const TARGET = "node22";

export interface BuiltBundle {
  name: RouteName;
  /** Absolute path of the bundle. */
  file: string;
  bytes: number;
}

export interface BuildOptions {
  /** Default dist/functions. */
  outDir?: string;
  /** Default true. */
  minify?: boolean;
}

export async function buildHandlers(opts: BuildOptions = {}): Promise<BuiltBundle[]> {
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ROUTES.map((r) => ({
      in: path.join(ROOT, "infra", "functions", `${r.name}.ts`),
      out: r.name,
    })),
    outdir: outDir,
    bundle: true,
    platform: "node",
    target: TARGET,
    format: "cjs",
    minify: opts.minify ?? true,
    // Provided by the Lambda runtime (only the SSM client is used, and only when deployed).
    external: ["@aws-sdk/*"],
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
  });
  const problems = checkTwilioInputs(result.metafile);
  if (problems.length > 0) throw new Error(`handler bundles: ${problems.join("; ")}`);
  return ROUTES.map((r) => {
    const file = path.join(outDir, `${r.name}.js`);
    const key = path.relative(ROOT, file).split(path.sep).join("/");
    const output = result.metafile.outputs[key];
    if (!output) throw new Error(`handler bundles: esbuild wrote no ${key}`);
    return { name: r.name, file, bytes: output.bytes };
  });
}

/**
 * Problems with what the bundles took from twilio: anything beyond the two allowed entry points
 * (and VoiceResponse's base class) means a deep import slipped or the whole package came in.
 */
export function checkTwilioInputs(metafile: esbuild.Metafile): string[] {
  const allowed = new Set<string>(ALLOWED_TWILIO_INPUTS);
  return Object.keys(metafile.inputs)
    .filter((input) => /(^|\/)node_modules\/twilio\//.test(input))
    .map((input) => input.slice(input.indexOf("node_modules/twilio/")))
    .filter((input) => !allowed.has(input))
    .sort()
    .map(
      (input) =>
        `${input} is bundled, but handlers may import only twilio/lib/twiml/VoiceResponse and twilio/lib/webhooks/webhooks`,
    );
}

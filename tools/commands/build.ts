// `npm run build`: the call handlers' bundles (infra/functions/bundle.ts) into dist/functions.
import * as path from "node:path";
import { buildHandlers } from "../../infra/functions/bundle";

export async function run(argv: string[]): Promise<number> {
  if (argv.length > 0) {
    process.stderr.write(`build: no arguments expected, got ${argv.join(" ")}\n`);
    return 2;
  }
  const bundles = await buildHandlers();
  for (const b of bundles) {
    const rel = path.relative(process.cwd(), b.file);
    process.stdout.write(`${rel.padEnd(36)} ${(b.bytes / 1024).toFixed(1).padStart(6)} KB\n`);
  }
  return 0;
}

// `npm run build`: the call handlers' bundles (infra/functions/bundle.ts) into dist/functions.
import * as path from "node:path";
import { buildHandlers } from "../../infra/functions/bundle";
import { parseCommandArgs } from "../args";

export async function run(argv: string[]): Promise<number> {
  try {
    parseCommandArgs(argv, {});
  } catch (err) {
    process.stderr.write(`build: ${(err as Error).message}\nusage: npm run build\n`);
    return 2;
  }
  const bundles = await buildHandlers();
  for (const b of bundles) {
    const rel = path.relative(process.cwd(), b.file);
    process.stdout.write(`${rel.padEnd(36)} ${(b.bytes / 1024).toFixed(1).padStart(6)} KB\n`);
  }
  return 0;
}

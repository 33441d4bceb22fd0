// Single entry for project commands: `ts-node tools/cli.ts <command> [args…]`.
// Each command lives in tools/commands/<command>.ts and exports `run(argv): Promise<number>`
// (the exit code), so commands stay thin wrappers over pure code and are testable in-process.
import * as path from "node:path";
import * as fs from "node:fs";

async function main(): Promise<void> {
  const [command, ...argv] = process.argv.slice(2);
  const commandsDir = path.join(__dirname, "commands");
  const known = fs
    .readdirSync(commandsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
  if (!command || !known.includes(command)) {
    process.stderr.write(
      `${command ? `unknown command "${command}"` : "no command given"}; known commands: ${known.join(", ")}\n`,
    );
    process.exit(2);
  }
  const mod = (await import(path.join(commandsDir, command))) as {
    run(argv: string[]): Promise<number>;
  };
  process.exitCode = await mod.run(argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

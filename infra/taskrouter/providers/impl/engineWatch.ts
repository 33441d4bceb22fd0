// The dynamic provider process must not outlive the engine that started it. Pulumi's Node.js dynamic
// provider (@pulumi/pulumi/cmd/dynamic-provider) is started as `node <script> <engine address>` and
// never checks that the engine is still there, so after a `kill -9` of `pulumi` it kept serving an
// engine that was gone. This watch connects to the engine's gRPC address every second and exits the
// process once the connection is refused: the engine has stopped listening, so nothing can call us.
import * as net from "node:net";

let watching = false;

/** The engine address when this process is the dynamic provider, else undefined (tests, programs). */
export function engineAddressOf(
  argv: readonly string[],
): { host: string; port: number } | undefined {
  if (!/[/\\]cmd[/\\]dynamic-provider([/\\]index\.js)?$/.test(argv[1] ?? "")) return undefined;
  const match = /^(.*):(\d+)$/.exec(argv[2] ?? "");
  if (!match) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}

/** Starts the watch once per process; a no-op outside the dynamic provider. */
export function exitWithEngine(argv: readonly string[] = process.argv, intervalMs = 1000): void {
  const engine = engineAddressOf(argv);
  if (watching || engine === undefined) return;
  watching = true;
  const timer = setInterval(() => {
    const socket = net.connect(engine);
    socket.once("connect", () => socket.destroy());
    socket.once("error", (err: NodeJS.ErrnoException) => {
      socket.destroy();
      if (err.code !== "ECONNREFUSED") return; // a slow or busy engine is still an engine
      process.stderr.write(`engine at ${engine.host}:${engine.port} is gone; provider exiting\n`);
      process.exit(1);
    });
  }, intervalMs);
  timer.unref(); // never what keeps the process alive
}

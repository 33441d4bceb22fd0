// The program's resource registration, made cheap for large stacks (README, "At scale").

/**
 * Runs `register`, which constructs the stack's resources, on a fresh call stack and with
 * `Error.stackTraceLimit` 0, and resolves to its result.
 *
 * - No stack per promise: the Node SDK takes `new Error().stack` for every output promise it makes
 *   (@pulumi/pulumi runtime/debuggable.js; read only when PULUMI_DEBUG_PROMISE_LEAKS is set, and then
 *   the limit is left as it is), and under ts-node every frame of each is source-mapped: a third of
 *   the program's time in a 1,000-worker no-op preview. Each resource's own source position and
 *   stack are unaffected: the SDK lifts the limit itself to take them. An error thrown while
 *   registering carries its message without a stack.
 * - A fresh stack (a `setImmediate` callback): the SDK records every frame of the stack that
 *   constructs a resource in the state (`stackTrace`, rewritten at every step of an update). From
 *   the program's own turn that stack ends in the SDK's three run frames (cmd/run, runtime/stack,
 *   resource), and after an `await` or in a promise reaction too, since Node adds the awaiting
 *   callers as async frames; from a timer callback it ends here: ~150 B less per resource.
 * - Without the frames every resource shares: a stack formatted while registering stops above
 *   `register` (its frame, this callback's and Node's timer are the same for every resource), so a
 *   worker's recorded stack is its class and the component's line that made it: ~130 B less again.
 *   Stacks are formatted by the hook in place (ts-node's source maps), given the kept frames.
 */
export function registerResources<T>(register: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(function freshStack() {
      const limit = Error.stackTraceLimit;
      const prepare = Error.prepareStackTrace;
      if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
      Error.prepareStackTrace = (err, frames) => {
        const here = frames.findIndex((f) => f.getFunctionName() === "freshStack");
        const kept = here > 0 ? frames.slice(0, here - 1) : frames;
        return prepare ? prepare(err, kept) : formatStack(err, kept);
      };
      try {
        resolve(register());
      } catch (err) {
        reject(err);
      } finally {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
      }
    }),
  );
}

/** V8's own format of a stack, for when no hook is installed. */
function formatStack(err: Error, frames: NodeJS.CallSite[]): string {
  return [String(err), ...frames.map((f) => `    at ${f}`)].join("\n");
}

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
 */
export function registerResources<T>(register: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(function freshStack() {
      const limit = Error.stackTraceLimit;
      if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
      try {
        resolve(register());
      } catch (err) {
        reject(err);
      } finally {
        Error.stackTraceLimit = limit;
      }
    }),
  );
}

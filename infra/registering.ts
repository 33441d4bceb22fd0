// The program's resource registration, made cheap for large stacks (README, "At scale").
import { TaskRouterResource } from "./taskrouter/providers/resource";

/**
 * Base classes between `CustomResource` and a resource class. The SDK records a resource's stack
 * from the frame after its class's constructor, assuming that class extends `CustomResource`
 * directly (@pulumi/pulumi resource.js, `Resource.stackTrace(4)`); a base class in between shifts
 * that by one, to the `super(...)` line of the class. Their frames are left out, so the recorded
 * source position is the program's line that declared the resource.
 */
const RESOURCE_BASE_CLASSES = new Set([TaskRouterResource.name]);

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
 *   `register` (its frame, this callback's and Node's timer are the same for every resource): ~130 B
 *   less again. Nor do they hold the base classes' frames (RESOURCE_BASE_CLASSES), so a worker's
 *   recorded stack is the component's line that declared it, and its source position that line,
 *   not the class's `super(...)`: ~80 B less. Stacks are formatted by the hook in place (ts-node's
 *   source maps), given the kept frames.
 */
export function registerResources<T>(register: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(function freshStack() {
      const limit = Error.stackTraceLimit;
      const prepare = Error.prepareStackTrace;
      if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
      Error.prepareStackTrace = (err, frames) => {
        const here = frames.findIndex((f) => f.getFunctionName() === "freshStack");
        const kept = (here > 0 ? frames.slice(0, here - 1) : frames).filter(
          (f) => !(f.isConstructor() && RESOURCE_BASE_CLASSES.has(f.getFunctionName() ?? "")),
        );
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

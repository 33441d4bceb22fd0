// Per-process provider state: the settings from `configure()` and the one Twilio client built from
// them. Kept here (loaded at run time) and never in the serialized provider, so no secret lands in state.
import type { Twilio } from "twilio";
import {
  createTwilioClient,
  type TwilioClientOptions,
  type TwilioSettings,
} from "../../twilioClient";
import { RATE_LIMITS_CONFIG_KEY, rateLimitsFromConfig } from "../../rateLimits";
import { exitWithEngine } from "./engineWatch";

/** The stack config keys the providers read (Pulumi.<stack>.yaml). */
export const CONFIG_KEYS = {
  accountSid: "twilio:accountSid",
  authToken: "twilio:authToken",
  apiBaseUrl: "twilio:apiBaseUrl",
  rateLimits: RATE_LIMITS_CONFIG_KEY,
} as const;

export interface ConfigSource {
  get(key: string): string | undefined;
}

let settings: TwilioSettings | undefined;
let options: TwilioClientOptions = {};
let client: Twilio | undefined;
let logLine: (line: string) => void = (line) => console.error(line);

/**
 * Reads the credentials, the optional local-Twilio URL and the account's rate limits from stack
 * config. Called by the engine once per provider process; tests may also pass client options (fast
 * retries, a log sink, no pacing).
 */
export function configure(
  config: ConfigSource,
  opts: TwilioClientOptions & { log?: (line: string) => void } = {},
): void {
  exitWithEngine();
  const accountSid = config.get(CONFIG_KEYS.accountSid);
  const authToken = config.get(CONFIG_KEYS.authToken);
  const baseUrl = config.get(CONFIG_KEYS.apiBaseUrl) || undefined;
  settings = accountSid && authToken ? { accountSid, authToken, baseUrl } : undefined;
  // The program has already refused a bad value (infra/config.ts), before any write.
  const declared = rateLimitsFromConfig(config.get(CONFIG_KEYS.rateLimits));
  if ("problems" in declared) throw new Error(declared.problems.join("; "));
  if (opts.log) logLine = opts.log;
  options = { rateLimits: declared.limits, ...opts, log: opts.log ?? logLine };
  client = undefined;
}

/** The client for the configured account; throws a clear message when configuration is missing. */
export function twilioClient(): Twilio {
  if (!settings) {
    throw new Error(
      `Twilio credentials are not configured: set ${CONFIG_KEYS.accountSid} and ` +
        `${CONFIG_KEYS.authToken} (pulumi config set --secret ${CONFIG_KEYS.authToken} …) in the stack`,
    );
  }
  client ??= createTwilioClient(settings, options);
  return client;
}

/** The account SID the providers are configured for (recorded in every object's outputs). */
export function configuredAccountSid(): string | undefined {
  return settings?.accountSid;
}

/** Provider log lines (decisions such as "left in place"); stderr in the provider process. */
export function log(line: string): void {
  logLine(line);
}

// ---------------------------------------------------------------------------------------------
// Objects claimed during this run. The engine starts one provider process per deployment (`up`,
// `destroy`, …) for every dynamic resource of the stack, and runs every resource's diff and every
// create before the deletes of resources that left the program. So what a resource claimed earlier
// in this process is what the deployment keeps, whatever another resource's state says. Keyed by
// kind and id (WorkspaceActivities' id is its workspace's SID). Never cleared by `configure`, which
// the engine calls lazily, once per serialized provider (so once per kind), not once per process.

/** How a resource of this deployment came to hold an object. */
export type Claim = "adopted" | "declared";

const claims = new Map<string, Claim>();
const claimKey = (kind: string, id: string) => `${kind} ${id}`;

/** Records that a resource of this deployment holds `id`: adopted by `create`, or kept by `diff`. */
export function claim(kind: string, id: string, how: Claim): void {
  if (claims.get(claimKey(kind, id)) !== "adopted") claims.set(claimKey(kind, id), how);
}

/** How a resource of this deployment claimed `id` in this process, if one did. */
export function claimed(kind: string, id: string): Claim | undefined {
  return claims.get(claimKey(kind, id));
}

// Workspaces this stack created (not adopted), learnt in this process from the workspace's own
// create or diff (its state says `adopted: false`). Every object inside such a workspace was made by
// this stack (or by Twilio with it, as the seeded activities), so finding one by name is recovery,
// never adoption of someone else's object.
const ownWorkspaces = new Map<string, boolean>();

/** Records whether this stack created workspace `sid` (true) or adopted it (false). */
export function noteWorkspace(sid: string, createdByStack: boolean): void {
  ownWorkspaces.set(sid, createdByStack);
}

/**
 * Workspaces a Workspace check found by name in this process (to adopt or reuse). In a preview the
 * found workspace's SID is still unknown to its children; when there is exactly one, their checks
 * look their names up in it, so the preview names what they adopt, and refuses, before any write.
 */
const foundWorkspaces = new Set<string>();

export function noteFoundWorkspace(sid: string): void {
  foundWorkspaces.add(sid);
}

/** The one workspace a Workspace check found in this process, if exactly one. */
export function foundWorkspace(): string | undefined {
  return foundWorkspaces.size === 1 ? [...foundWorkspaces][0] : undefined;
}

/** True when this stack created workspace `sid`, as learnt in this process. */
export function stackCreatedWorkspace(sid: string): boolean {
  return ownWorkspaces.get(sid) === true;
}

// A workspace's objects of one kind, listed once per process for checks' look-ups by name. A check
// of a resource to create looks its name up so the preview can say what it would take over; one
// look-up per resource was as many requests again as the creates, on a key of its own paced at the
// same rate (a 1,000-worker `up` spent 40 s waiting on them). The list is read at the first such
// check; a later check in the same run sees it as it was then. That only decides what the preview
// announces: an object that appeared since is still taken over (or refused) by `create`, never
// duplicated: it looks the name up itself before writing, or, for workers, whose names Twilio keeps
// unique, writes first and resolves the conflict.
const listings = new Map<string, Promise<{ sid: string; friendlyName: string }[]>>();

/**
 * `list()` of workspace `workspaceSid`'s objects of `kind`, once per process (see above); `fresh`
 * lists again and keeps the new list.
 */
export function listedOnce<T extends { sid: string; friendlyName: string }>(
  kind: string,
  workspaceSid: string,
  list: () => Promise<T[]>,
  fresh = false,
): Promise<{ sid: string; friendlyName: string }[]> {
  const key = `${kind} ${workspaceSid}`;
  let listing = fresh ? undefined : listings.get(key);
  if (!listing) {
    listing = list().then((items) =>
      items.map((i) => ({ sid: i.sid, friendlyName: i.friendlyName })),
    );
    listings.set(key, listing);
    // A failed list is not kept: the next check tries again.
    listing.catch(() => listings.delete(key));
  }
  return listing;
}

/** Forget configuration and claims (tests: a new provider process, as for a new deployment). */
export function resetForTests(): void {
  listings.clear();
  ownWorkspaces.clear();
  foundWorkspaces.clear();
  settings = undefined;
  options = {};
  client = undefined;
  logLine = (line) => console.error(line);
  claims.clear();
}

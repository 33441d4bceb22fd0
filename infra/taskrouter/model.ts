// The routing definition (`stacks/<stack>.yaml`): what a contact centre contains, by logical name.
// The TypeBox schema below is the single source of both the TypeScript types (`Static<…>`) and the
// committed JSON Schema (`stacks/schema.json`, written by `npm run schema`). Pure: no I/O, no Pulumi.
import { Type, type Static, type TRecord, type TSchema, type TString } from "@sinclair/typebox";
import type { CallFlow, Exit } from "../functions/callFlow";

const doc = <T extends TSchema>(description: string, schema: T): T =>
  ({ ...schema, description }) as T;

/** A logical key: letters, digits and underscores, as used for queue keys. */
const LogicalKey = Type.String({ pattern: "^[A-Za-z][A-Za-z0-9_]*$", maxLength: 64 });
/** A Twilio friendly name (1–64 characters). */
const FriendlyName = Type.String({ minLength: 1, maxLength: 64 });
// An `enum` rather than a union of literals: one clear schema error ("must be one of FIFO, LIFO").
const TaskOrder = Type.Unsafe<"FIFO" | "LIFO">({ type: "string", enum: ["FIFO", "LIFO"] });

/**
 * A map keyed by names. TypeBox's Record ignores length limits on its key schema and lets keys that
 * miss a pattern through, so the key rules are stated with `propertyNames`, which JSON Schema enforces.
 */
const NamedMap = <T extends TSchema>(key: TSchema, value: T) =>
  ({ ...Type.Record(Type.String(), value), propertyNames: key }) as TRecord<TString, T>;

/** JSON-compatible attribute values (worker and task attributes). */
export const AttributeMap = Type.Record(Type.String(), Type.Unknown());

export const WorkspaceSpec = Type.Object(
  {
    friendlyName: doc("The workspace's friendly name in Twilio.", FriendlyName),
    multitasking: Type.Optional(
      doc("Multitasking workspace (per-channel capacity). Default false.", Type.Boolean()),
    ),
    queueOrder: Type.Optional(
      doc("Which queue wins when a worker is in a FIFO and a LIFO queue. Default FIFO.", TaskOrder),
    ),
    events: Type.Optional(
      doc("Deliver TaskRouter events to the /events handler. Default true.", Type.Boolean()),
    ),
    eventsFilter: Type.Optional(
      doc(
        "Only these event types are delivered (e.g. task.created). Default: all.",
        Type.Array(Type.String({ pattern: "^[a-z]+(\\.[a-z_]+)+$" }), { uniqueItems: true }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const ActivitySpec = Type.Object(
  {
    available: doc(
      "Workers in this activity can receive tasks. Immutable in Twilio.",
      Type.Boolean(),
    ),
  },
  { additionalProperties: false },
);

/**
 * A task channel's unique name (https://www.twilio.com/docs/taskrouter/api/task-channel): letters,
 * digits and underscores (Twilio does not support hyphens in it), as used in the stack file's keys.
 */
const ChannelKey = Type.String({ pattern: "^[A-Za-z][A-Za-z0-9_]*$", maxLength: 64 });

/** The task channels Twilio creates in every workspace (unique name → friendly name). */
export const SEEDED_CHANNELS: Readonly<Record<string, string>> = {
  default: "Default",
  voice: "Voice",
  chat: "Chat",
  sms: "SMS",
  video: "Video",
};

export const ChannelSpec = Type.Object(
  {
    friendlyName: Type.Optional(
      doc(
        "The channel's friendly name. Default: Twilio's name for a seeded channel, else the key.",
        FriendlyName,
      ),
    ),
    channelOptimizedRouting: Type.Optional(
      doc("Prioritise the workers idle longest on this channel. Default false.", Type.Boolean()),
    ),
  },
  { additionalProperties: false },
);

export const WorkerSpec = Type.Object(
  {
    channels: Type.Optional(
      doc(
        "Tasks of each channel the worker handles at once (multitasking), e.g. { chat: 3, voice: 1 }. " +
          "Channels not listed keep Twilio's capacity 1.",
        NamedMap(ChannelKey, Type.Integer({ minimum: 0, maximum: 1000 })),
      ),
    ),
    activity: Type.Optional(
      doc("Initial activity (by name). Default: the workspace's default activity.", FriendlyName),
    ),
    attributes: Type.Optional(
      doc(
        "Worker attributes: skills such as `languages`, and `contact_uri` (what a dequeue dials).",
        AttributeMap,
      ),
    ),
  },
  { additionalProperties: false },
);

export const QueueSpec = Type.Object(
  {
    friendlyName: doc("The queue's friendly name in Twilio.", FriendlyName),
    targetWorkers: Type.Optional(
      doc(
        'Expression over worker attributes, e.g. languages HAS "hindi". Default 1==1.',
        Type.String(),
      ),
    ),
    taskOrder: Type.Optional(doc("FIFO (priority, then age) or LIFO. Default FIFO.", TaskOrder)),
    maxReservedWorkers: Type.Optional(
      doc(
        "Workers reserved at once for a task. Default 1.",
        Type.Integer({ minimum: 1, maximum: 50 }),
      ),
    ),
    reservationActivity: Type.Optional(
      doc("Activity (by name) a single-tasking worker moves to when reserved.", FriendlyName),
    ),
    assignmentActivity: Type.Optional(
      doc("Activity (by name) a single-tasking worker moves to when assigned.", FriendlyName),
    ),
  },
  { additionalProperties: false },
);

export const TargetSpec = Type.Object(
  {
    queue: doc("The queue, by logical key.", LogicalKey),
    priority: Type.Optional(doc("Overrides the task's priority.", Type.Integer())),
    timeout: Type.Optional(
      doc("Seconds (against the task's age, cumulative) before the next target.", Type.Integer()),
    ),
    expression: Type.Optional(
      doc("Narrows the queue's workers; keys start with task. or worker.", Type.String()),
    ),
    orderBy: Type.Optional(doc('Worker ordering, e.g. "worker.level DESC".', Type.String())),
    skipIf: Type.Optional(
      doc('Skip this target when true, e.g. "workers.available == 0".', Type.String()),
    ),
    knownWorker: Type.Optional(
      doc(
        "Offer the task only to this worker (a member of the queue): exactly one of sid or " +
          "friendlyName, each task.<attribute> (e.g. task.last_agent_sid) or a literal.",
        Type.Object(
          { sid: Type.Optional(Type.String()), friendlyName: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export const FilterSpec = Type.Object(
  {
    name: doc("The filter's friendly name.", FriendlyName),
    expression: doc("Expression over the task's attributes.", Type.String()),
    targets: doc(
      "Tried in order; the next only after a timeout or skip_if.",
      Type.Array(TargetSpec, { minItems: 1 }),
    ),
  },
  { additionalProperties: false },
);

export const WorkflowSpec = Type.Object(
  {
    friendlyName: doc("The workflow's friendly name in Twilio.", FriendlyName),
    reservationTimeout: Type.Optional(
      doc("Seconds a worker has to accept a reservation (1..86400). Default 120.", Type.Integer()),
    ),
    filters: Type.Optional(doc("First matching filter wins.", Type.Array(FilterSpec))),
    defaultTarget: doc(
      "Where tasks go when no filter matches.",
      Type.Object({ queue: LogicalKey }, { additionalProperties: false }),
    ),
    allowWaitingForever: Type.Optional(
      doc(
        "Callers may wait in a queue until the task's TTL: a filter's last target has no timeout, or the default target (which never times out) is reachable. Required by the no-caller-waits-forever policy (docs/policies.md). Default false.",
        Type.Boolean(),
      ),
    ),
  },
  { additionalProperties: false },
);

/** Seconds a caller may wait in the queue before the exits are offered. */
const MaxWait = Type.Integer({ minimum: 10, maximum: 86400 });
// An `enum` rather than a union of literals, for one clear schema error.
const Exits = Type.Array(
  Type.Unsafe<"voicemail" | "callback">({ type: "string", enum: ["voicemail", "callback"] }),
  { uniqueItems: true },
);
const LOCAL_DATE = "^\\d{4}-\\d{2}-\\d{2}$";
const LOCAL_DATE_TIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$";

export const IvrOptionSpec = Type.Object(
  {
    label: doc("What the option is, e.g. English (used in reports and diffs).", FriendlyName),
    attributes: doc("Task attributes set when the caller presses this digit.", AttributeMap),
    maxWait: Type.Optional(
      doc("Seconds in the queue before the exits are offered; overrides the line's.", MaxWait),
    ),
  },
  { additionalProperties: false },
);

export const ClosureSpec = Type.Object(
  {
    name: doc("What the closure is, e.g. Christmas Day (said in reports).", FriendlyName),
    date: Type.Optional(
      doc(
        "A whole local day, YYYY-MM-DD. Or give from and to.",
        Type.String({ pattern: LOCAL_DATE }),
      ),
    ),
    from: Type.Optional(
      doc("Local start, YYYY-MM-DDTHH:MM (inclusive).", Type.String({ pattern: LOCAL_DATE_TIME })),
    ),
    to: Type.Optional(
      doc("Local end, YYYY-MM-DDTHH:MM (exclusive).", Type.String({ pattern: LOCAL_DATE_TIME })),
    ),
  },
  { additionalProperties: false },
);

const OpenRanges = Type.Array(
  doc(
    'Open from-to in local time, e.g. "09:00-17:30"; "24:00" closes at midnight.',
    Type.String({ pattern: "^\\d{2}:\\d{2}-\\d{2}:\\d{2}$" }),
  ),
);

export const HoursSpec = Type.Object(
  {
    timeZone: doc("IANA time zone, e.g. Europe/London; all times are local to it.", Type.String()),
    weekly: doc(
      "Opening ranges per day (mon … sun); a day not listed is closed.",
      Type.Object(
        {
          mon: Type.Optional(OpenRanges),
          tue: Type.Optional(OpenRanges),
          wed: Type.Optional(OpenRanges),
          thu: Type.Optional(OpenRanges),
          fri: Type.Optional(OpenRanges),
          sat: Type.Optional(OpenRanges),
          sun: Type.Optional(OpenRanges),
        },
        { additionalProperties: false },
      ),
    ),
    closures: Type.Optional(
      doc("Holidays and other closures; they win over the weekly hours.", Type.Array(ClosureSpec)),
    ),
    closedMessage: doc("Said to a caller out of hours.", Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

/** The call-flow keys a line has beyond its number and IVR. */
const LineFlowKeys = {
  taskAttributes: Type.Optional(
    doc("Task attributes of every call on this line (plus called, caller, line).", AttributeMap),
  ),
  hours: Type.Optional(doc("Opening hours. Default: open around the clock.", HoursSpec)),
  whenClosed: Type.Optional(
    doc("Exits offered out of hours, in menu order. Default [voicemail].", Exits),
  ),
  maxWait: Type.Optional(
    doc("Seconds in the queue before the exits are offered. Default: no limit.", MaxWait),
  ),
  whenNobodyAnswers: Type.Optional(
    doc(
      "Exits offered at maxWait or when the workflow ends without an agent, in menu order. Default [voicemail].",
      Exits,
    ),
  ),
  recordCalls: Type.Optional(
    doc("Record caller–agent conversations on this line. Default false.", Type.Boolean()),
  ),
};

export const PhoneSpec = Type.Object(
  {
    number: doc(
      "The owned number, E.164 (e.g. +15555550100). Never bought or released.",
      Type.String(),
    ),
    ivr: Type.Object(
      {
        greeting: doc(
          "Said when the call is answered, before the menu.",
          Type.String({ minLength: 1 }),
        ),
        voice: Type.Optional(
          doc("<Say> voice. Default Polly.Joanna.", Type.String({ minLength: 1 })),
        ),
        language: Type.Optional(
          doc("<Say> language. Default en-US.", Type.String({ minLength: 1 })),
        ),
        options: doc(
          "Digit → option. Keys are single keypad keys (0-9, *, #).",
          Type.Record(Type.String(), IvrOptionSpec),
        ),
        defaultAttributes: Type.Optional(
          doc(
            "Task attributes when the caller presses nothing (after one re-prompt).",
            AttributeMap,
          ),
        ),
      },
      { additionalProperties: false },
    ),
    holdMusicUrl: Type.Optional(
      doc("Audio played while the caller waits: an absolute http(s) URL.", Type.String()),
    ),
    ...LineFlowKeys,
  },
  { additionalProperties: false },
);

export const VoicemailSpec = Type.Object(
  {
    prompt: Type.Optional(doc("Said before the beep.", Type.String({ minLength: 1 }))),
    maxLength: Type.Optional(
      doc("Longest message in seconds. Default 120.", Type.Integer({ minimum: 1, maximum: 3600 })),
    ),
    attributes: Type.Optional(
      doc(
        "Attributes of the voicemail task (plus caller, called, line, recording_url).",
        AttributeMap,
      ),
    ),
    taskChannel: Type.Optional(
      doc(
        "The voicemail task's TaskChannel (unique name). Default voice.",
        Type.String({ minLength: 1 }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const CallbackSpec = Type.Object(
  {
    confirmation: Type.Optional(
      doc("Said when the callback is booked.", Type.String({ minLength: 1 })),
    ),
    attributes: Type.Optional(
      doc("Attributes of the callback task (plus caller, called, line).", AttributeMap),
    ),
    taskChannel: Type.Optional(
      doc(
        "The callback task's TaskChannel (unique name). Default voice.",
        Type.String({ minLength: 1 }),
      ),
    ),
    preferLastAgent: Type.Optional(
      doc(
        "Set last_agent_sid on the task: the agent who last answered this caller (route it with a known-worker target). Default false.",
        Type.Boolean(),
      ),
    ),
  },
  { additionalProperties: false },
);

export const AgentLegSpec = Type.Object(
  {
    ringTimeout: Type.Optional(
      doc(
        "Seconds the agent's phone rings before the reservation is given up. Default 20.",
        Type.Integer({ minimum: 5, maximum: 600 }),
      ),
    ),
  },
  { additionalProperties: false },
);

/** The kinds `adopt.objects` may list (the workflow and the workspace are single objects). */
export const ADOPTABLE_KINDS = [
  "workspace",
  "activities",
  "channels",
  "workers",
  "queues",
  "workflow",
] as const;
export type AdoptableKind = (typeof ADOPTABLE_KINDS)[number];

export const AdoptSpec = Type.Object(
  {
    objects: doc(
      "Which existing objects with a declared name this stack may adopt: a list of kinds, or [all].",
      Type.Array(
        Type.Unsafe<AdoptableKind | "all">({ type: "string", enum: ["all", ...ADOPTABLE_KINDS] }),
        { uniqueItems: true, minItems: 1 },
      ),
    ),
    onDestroy: Type.Optional(
      doc(
        "What destroy (or a replacement) does with adopted objects: restore (default) puts back " +
          "their settings from before adoption and leaves them; delete deletes them.",
        Type.Unsafe<"restore" | "delete">({ type: "string", enum: ["restore", "delete"] }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const StackSpec = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    extends: Type.Optional(
      doc(
        "Another stack file (relative path) this one overlays. See docs/routing-definitions.md, Overlays.",
        Type.String(),
      ),
    ),
    adopt: Type.Optional(
      doc(
        "Adopt existing Twilio objects with declared names instead of refusing. See docs/providers.md, Ownership.",
        AdoptSpec,
      ),
    ),
    workspace: WorkspaceSpec,
    activities: doc("Activities by friendly name.", NamedMap(FriendlyName, ActivitySpec)),
    defaultActivity: doc("Activity given to new workers.", FriendlyName),
    timeoutActivity: doc("Activity a worker moves to when a reservation times out.", FriendlyName),
    postWorkActivity: doc(
      "Wrap-Up: the activity after a call ends. Must be unavailable.",
      FriendlyName,
    ),
    channels: Type.Optional(
      doc(
        "Task channels by unique name: custom ones are created; the seeded default, voice, chat, " +
          "sms and video are reused (never deleted) and may be listed to set their fields.",
        NamedMap(ChannelKey, ChannelSpec),
      ),
    ),
    workers: doc("Workers by friendly name.", NamedMap(FriendlyName, WorkerSpec)),
    queues: doc("Task queues by logical key.", NamedMap(LogicalKey, QueueSpec)),
    workflow: WorkflowSpec,
    phone: Type.Optional(doc("The centre's one line. Or use lines for several.", PhoneSpec)),
    lines: Type.Optional(
      doc(
        "The centre's lines by logical key: each owned number with its IVR and hours. The first is the main line. Give phone or lines.",
        NamedMap(LogicalKey, PhoneSpec),
      ),
    ),
    voicemail: Type.Optional(doc("How voicemail is taken and routed.", VoicemailSpec)),
    callback: Type.Optional(doc("How callback requests are taken and routed.", CallbackSpec)),
    agentLeg: Type.Optional(doc("The call to the agent.", AgentLegSpec)),
  },
  { additionalProperties: false, $id: "https://contact-centre-as-code.invalid/stack.schema.json" },
);

export type WorkspaceSpec = Static<typeof WorkspaceSpec>;
export type ActivitySpec = Static<typeof ActivitySpec>;
export type WorkerSpec = Static<typeof WorkerSpec>;
export type ChannelSpec = Static<typeof ChannelSpec>;
export type QueueSpec = Static<typeof QueueSpec>;
export type TargetSpec = Static<typeof TargetSpec>;
export type FilterSpec = Static<typeof FilterSpec>;
export type WorkflowSpec = Static<typeof WorkflowSpec>;
export type IvrOptionSpec = Static<typeof IvrOptionSpec>;
export type PhoneSpec = Static<typeof PhoneSpec>;
export type HoursSpec = Static<typeof HoursSpec>;
export type ClosureSpec = Static<typeof ClosureSpec>;
export type AdoptSpec = Static<typeof AdoptSpec>;
/** A routing definition as written (after overlay merging), before defaults are applied. */
export type StackSpec = Static<typeof StackSpec>;

/** Twilio's defaults, applied once by the loader so every consumer sees the same values. */
export const DEFAULTS = {
  reservationTimeout: 120,
  targetWorkers: "1==1",
  taskOrder: "FIFO",
  maxReservedWorkers: 1,
  queueOrder: "FIFO",
  multitasking: false,
  events: true,
  voice: "Polly.Joanna",
  language: "en-US",
  /** The line's key when the stack gives one `phone:`. */
  mainLine: "main",
  exits: ["voicemail"],
  voicemail: {
    prompt: "Please leave a message after the tone. Press the pound key when you have finished.",
    maxLength: 120,
    attributes: { type: "voicemail" },
    taskChannel: "voice",
  },
  callback: {
    confirmation: "Thank you. An agent will call you back on this number.",
    attributes: { type: "callback" },
    taskChannel: "voice",
    preferLastAgent: false,
  },
  agentLeg: { ringTimeout: 20 },
} as const;

/** A line with every default applied. */
export interface LineSpec {
  number: string;
  ivr: {
    greeting: string;
    voice: string;
    language: string;
    options: Record<string, IvrOptionSpec>;
    defaultAttributes: Record<string, unknown>;
  };
  holdMusicUrl?: string;
  taskAttributes: Record<string, unknown>;
  /** As written (the handlers' form is built by callFlowFromSpec). */
  hours?: HoursSpec;
  whenClosed: Exit[];
  maxWait?: number;
  whenNobodyAnswers: Exit[];
  recordCalls: boolean;
}

/**
 * A validated routing definition with every default filled in: what the providers, the handlers,
 * the emulator and the reviewer tools consume. Produced only by `loadStack` (loadStack.ts).
 */
export interface ContactCentreSpec {
  /** The stack file it was loaded from (after overlays), for messages. */
  source: string;
  /** The kinds this stack may adopt, and what destroy does; absent (no `adopt:`): adopt nothing. */
  adopt?: { kinds: AdoptableKind[]; onDestroy: "restore" | "delete" };
  workspace: Required<Omit<WorkspaceSpec, "eventsFilter">> & { eventsFilter?: string[] };
  activities: Record<string, ActivitySpec>;
  defaultActivity: string;
  timeoutActivity: string;
  postWorkActivity: string;
  /** The declared task channels by unique name (seeded ones only when declared; absent: none). */
  channels?: Record<string, { friendlyName: string; channelOptimizedRouting: boolean }>;
  workers: Record<
    string,
    {
      activity: string;
      attributes: Record<string, unknown>;
      /** Capacity per channel unique name, only the declared ones (absent: none declared). */
      channels?: Record<string, number>;
    }
  >;
  queues: Record<
    string,
    Required<Omit<QueueSpec, "reservationActivity" | "assignmentActivity">> &
      Pick<QueueSpec, "reservationActivity" | "assignmentActivity">
  >;
  workflow: {
    friendlyName: string;
    reservationTimeout: number;
    filters: FilterSpec[];
    defaultTarget: { queue: string };
    /** Present only when the stack declares it. */
    allowWaitingForever?: boolean;
  };
  /** The main line (the first): its number is the caller ID of calls to agents and customers. */
  phone: LineSpec;
  /** Every line by key, the main line first (`main` when the stack gives `phone:`). */
  lines: Record<string, LineSpec>;
  /** Where the lines are written: `phone` (one line) or `lines`. */
  linesAt: "phone" | "lines";
  /** The handlers' settings as they receive them (CALL_FLOW). */
  voicemail: CallFlow["voicemail"];
  callback: CallFlow["callback"];
  agentLeg: CallFlow["agentLeg"];
}

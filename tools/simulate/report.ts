// Markdown for a simulation report, alone or before/after with deltas (for a pull-request comment).
import { CALL_COUNT_FIELDS, type CallCounts } from "./calls";
import type { FollowUpReport, QueueReport, SimulationReport, WorkerReport } from "./simulate";

type Num = number | null | undefined;

const seconds = (n: Num): string => (n === null || n === undefined ? "—" : `${n} s`);
const percent = (n: Num): string =>
  n === null || n === undefined ? "—" : `${Math.round(n * 1000) / 10}%`;
const plain = (n: Num): string => (n === null || n === undefined ? "—" : String(n));
const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** `12 s → 8 s (−4 s)`; just the value when both sides agree. `diff` formats the size of the change. */
function change(
  before: Num,
  after: Num,
  format: (n: Num) => string,
  diff: (size: number) => string = (size) => String(Math.round(size * 10) / 10),
): string {
  if (format(before) === format(after)) return format(after);
  if (before === null || before === undefined || after === null || after === undefined) {
    return `${format(before)} → ${format(after)}`;
  }
  const d = after - before;
  return `${format(before)} → ${format(after)} (${d > 0 ? "+" : "−"}${diff(Math.abs(d))})`;
}

const secondsDiff = (size: number): string => `${Math.round(size * 10) / 10} s`;
const pointsDiff = (size: number): string => `${Math.round(size * 1000) / 10} pp`;

const QUEUE_HEAD = [
  "| queue | tasks | answered | mean wait | p90 wait | abandoned | abandon rate | escalations | left at max wait | dropped | voicemail | callback | waiting at end |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
];
const CALLS_COLUMNS =
  "| calls | answered | abandoned | voicemail | callback | no exit | waiting at end | out of hours |";
const CALLS_RULE = "|---|---:|---:|---:|---:|---:|---:|---:|---:|";
const FOLLOW_UP_HEAD = [
  "| follow-up task | tasks | answered | mean wait | dropped | waiting at end |",
  "|---|---:|---:|---:|---:|---:|",
];
const WORKER_HEAD = [
  "| worker | tasks | busy | on shift | utilisation |",
  "|---|---:|---:|---:|---:|",
];

interface Row {
  tasks: number;
  answered: number;
  meanWait: Num;
  p90Wait: Num;
  abandoned: number;
  escalations: Num;
  leftAtMaxWait: number;
  dropped: number;
  voicemails: number;
  callbacks: number;
  waitingAtEnd: number;
}

/** The queues together: the calls that reached one (every caller but those out of hours). */
const totalsRow = (r: SimulationReport): Row => {
  const sum = (f: (q: QueueReport) => number) =>
    Object.values(r.queues).reduce((n, q) => n + f(q), 0);
  return {
    tasks: r.totals.arrivals - r.totals.outOfHours,
    answered: r.totals.answered,
    meanWait: r.totals.meanWait,
    p90Wait: r.totals.p90Wait,
    abandoned: r.totals.abandoned,
    escalations: sum((q) => q.escalations),
    leftAtMaxWait: r.totals.leftAtMaxWait,
    dropped: r.totals.dropped,
    voicemails: sum((q) => q.voicemails),
    callbacks: sum((q) => q.callbacks),
    waitingAtEnd: r.totals.waitingAtEnd,
  };
};

function queueCells(before: Row | undefined, after: Row | undefined, compare: boolean): string[] {
  const delta = compare ? change : (_: Num, a: Num, format: (n: Num) => string) => format(a);
  const b = before ?? ({} as Partial<Row>);
  const a = after ?? ({} as Partial<Row>);
  return [
    delta(b.tasks, a.tasks, plain),
    delta(b.answered, a.answered, plain),
    delta(b.meanWait, a.meanWait, seconds, secondsDiff),
    delta(b.p90Wait, a.p90Wait, seconds, secondsDiff),
    delta(b.abandoned, a.abandoned, plain),
    delta(
      before ? rate(before.abandoned, before.tasks) : undefined,
      after ? rate(after.abandoned, after.tasks) : undefined,
      percent,
      pointsDiff,
    ),
    delta(b.escalations, a.escalations, plain),
    delta(b.leftAtMaxWait, a.leftAtMaxWait, plain),
    delta(b.dropped, a.dropped, plain),
    delta(b.voicemails, a.voicemails, plain),
    delta(b.callbacks, a.callbacks, plain),
    delta(b.waitingAtEnd, a.waitingAtEnd, plain),
  ];
}

function callCells(
  before: CallCounts | undefined,
  after: CallCounts | undefined,
  compare: boolean,
): string[] {
  const delta = compare ? change : (_: Num, a: Num, format: (n: Num) => string) => format(a);
  return CALL_COUNT_FIELDS.map((f) => delta(before?.[f], after?.[f], plain));
}

function followUpCells(
  before: FollowUpReport | undefined,
  after: FollowUpReport | undefined,
  compare: boolean,
): string[] {
  const delta = compare ? change : (_: Num, a: Num, format: (n: Num) => string) => format(a);
  return [
    delta(before?.tasks, after?.tasks, plain),
    delta(before?.answered, after?.answered, plain),
    delta(before?.meanWait, after?.meanWait, seconds, secondsDiff),
    delta(before?.dropped, after?.dropped, plain),
    delta(before?.waitingAtEnd, after?.waitingAtEnd, plain),
  ];
}

/** Every caller together, as the lines' and hours' rows count them. */
const allCalls = ({ totals: t }: SimulationReport): CallCounts => ({
  calls: t.arrivals,
  answered: t.answered,
  abandoned: t.abandoned,
  voicemails: t.voicemails,
  callbacks: t.callbacks,
  noExit: t.noExit,
  waitingAtEnd: t.waitingAtEnd,
  outOfHours: t.outOfHours,
});

/** "2026-12-07 08:00–18:00 (Europe/London)", or "08:00–18:00" without a date. */
const period = (r: SimulationReport): string =>
  r.date === null ? `${r.start}–${r.end}` : `${r.date} ${r.start}–${r.end} (${r.timeZone})`;

const hours = (n: Num): string => {
  if (n === null || n === undefined) return "—";
  const m = Math.round(n / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min` : `${m} min`;
};

function workerCells(
  before: WorkerReport | undefined,
  after: WorkerReport | undefined,
  compare: boolean,
): string[] {
  const delta = compare ? change : (_: Num, a: Num, format: (n: Num) => string) => format(a);
  return [
    delta(before?.tasks, after?.tasks, plain),
    delta(before?.busySeconds, after?.busySeconds, hours, hours),
    delta(before?.onShiftSeconds, after?.onShiftSeconds, hours, hours),
    delta(before?.utilisation, after?.utilisation, percent, pointsDiff),
  ];
}

const keysOf = <T>(a: Record<string, T> | undefined, b: Record<string, T>): string[] => [
  ...new Set([...Object.keys(b), ...Object.keys(a ?? {})]),
];

/** One report, or `before` → `after` with deltas in every cell that changed. */
export function renderSimulationMarkdown(
  after: SimulationReport,
  before?: SimulationReport,
): string {
  const out = [`## Simulation: ${after.name}`, ""];
  const what = `\`${after.scenario}\`, ${period(after)}, seed ${after.seed}, ${after.totals.arrivals} callers`;
  out.push(
    before
      ? `Before \`${before.stack}\` → after \`${after.stack}\`; ${what}, the same callers on both sides.`
      : `\`${after.stack}\`; ${what}.`,
    "",
  );
  out.push(...QUEUE_HEAD);
  for (const key of keysOf(before?.queues, after.queues)) {
    const row = (q: QueueReport | undefined): Row | undefined => q;
    out.push(
      `| ${key} | ${queueCells(row(before?.queues[key]), row(after.queues[key]), !!before).join(" | ")} |`,
    );
  }
  out.push(
    `| **all queues** | ${queueCells(before && totalsRow(before), totalsRow(after), !!before).join(" | ")} |`,
    "",
  );
  const compare = !!before;
  out.push(`| line ${CALLS_COLUMNS}`, CALLS_RULE);
  for (const key of keysOf(before?.lines, after.lines))
    out.push(
      `| ${key} | ${callCells(before?.lines[key], after.lines[key], compare).join(" | ")} |`,
    );
  out.push(
    `| **all callers** | ${callCells(before && allCalls(before), allCalls(after), compare).join(" | ")} |`,
    "",
  );
  out.push(`| hour | ${CALLS_COLUMNS.slice(2)}`, CALLS_RULE);
  const hours = keysOf(before?.hours, after.hours).sort();
  for (const key of hours)
    out.push(
      `| ${key} | ${callCells(before?.hours[key], after.hours[key], compare).join(" | ")} |`,
    );
  out.push("", ...FOLLOW_UP_HEAD);
  for (const kind of ["voicemail", "callback"] as const) {
    const cells = followUpCells(before?.followUps[kind], after.followUps[kind], compare);
    out.push(`| ${kind} | ${cells.join(" | ")} |`);
  }
  out.push("", ...WORKER_HEAD);
  for (const name of keysOf(before?.workers, after.workers)) {
    out.push(
      `| ${name} | ${workerCells(before?.workers[name], after.workers[name], !!before).join(" | ")} |`,
    );
  }
  out.push(
    "",
    "Wait: from the call reaching TaskRouter to an agent accepting, for answered calls, by the queue that answered. " +
      "Escalations: calls moved on by a target's timeout. Left at max wait: callers still waiting at the line's or option's maxWait. " +
      "Dropped: canceled by the workflow (past its last target) or the task's TTL. Both are offered the line's whenNobodyAnswers exits; " +
      "voicemail and callback count those who then took one, by the queue they left. " +
      "Out of hours: callers who found their line closed and were offered its whenClosed exits. " +
      "No exit: offered the exits (or none) and took none. Hours are local, by when the call came in. " +
      "Follow-up tasks: the voicemail and callback tasks, routed to agents by the workflow; their wait is from the task's creation.",
    "",
  );
  return out.join("\n");
}

const rateOf = (part: number, whole: number): string => percent(rate(part, whole));

/**
 * One run as a contact-centre wallboard: per queue, what its TaskQueue statistics say at the end of
 * the day (offered, answered, answered within the service-level threshold, waits, abandons).
 */
export function renderWallboard(r: SimulationReport): string {
  const sl = r.serviceLevelSeconds;
  const out = [
    `## Wallboard: ${r.name}`,
    "",
    `\`${r.stack}\`; \`${r.scenario}\`, ${period(r)}, seed ${r.seed}, at ${r.end}.`,
    "",
    `| queue | offered | answered | within ${sl} s | service level | avg wait | longest wait | abandoned | left at max wait | escalated | waiting |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const row = (name: string, q: Omit<QueueReport, "voicemails" | "callbacks">) => {
    const ended = q.answered + q.abandoned + q.leftAtMaxWait + q.dropped;
    const cells = [
      plain(q.tasks),
      plain(q.answered),
      plain(q.answeredInTime),
      rateOf(q.answeredInTime, ended),
      seconds(q.meanWait),
      seconds(q.maxWait),
      plain(q.abandoned),
      plain(q.leftAtMaxWait),
      plain(q.escalations),
      plain(q.waitingAtEnd),
    ];
    out.push(`| ${name} | ${cells.join(" | ")} |`);
  };
  const queues = Object.values(r.queues);
  for (const [key, q] of Object.entries(r.queues)) row(key, q);
  const longest = queues.map((q) => q.maxWait).filter((w): w is number => w !== null);
  row("**all queues**", {
    tasks: r.totals.arrivals - r.totals.outOfHours,
    answered: r.totals.answered,
    answeredInTime: queues.reduce((n, q) => n + q.answeredInTime, 0),
    meanWait: r.totals.meanWait,
    p90Wait: r.totals.p90Wait,
    maxWait: longest.length ? Math.max(...longest) : null,
    abandoned: r.totals.abandoned,
    escalations: queues.reduce((n, q) => n + q.escalations, 0),
    leftAtMaxWait: r.totals.leftAtMaxWait,
    dropped: r.totals.dropped,
    waitingAtEnd: r.totals.waitingAtEnd,
  });
  out.push(
    "",
    `Offered: calls that waited in the queue (\`tasks_entered\`). Within ${sl} s: answered within ${sl} s of reaching TaskRouter ` +
      `(\`split_by_wait_time\` ${sl}, below). Service level: within ${sl} s ÷ calls that ended in the queue (answered, abandoned, left at the maximum wait or dropped). ` +
      "Waits: from the call reaching TaskRouter to an agent accepting (`wait_duration_until_accepted`). " +
      "Left at max wait: callers still waiting at the line's maxWait, offered voicemail or a callback. " +
      "Escalated: moved on by a target's timeout (`tasks_moved`). Waiting: pending or reserved at the end.",
    "",
  );
  return out.join("\n");
}

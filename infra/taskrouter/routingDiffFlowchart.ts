// The routing diff's flowchart: the head routing as Mermaid (task → filters → queues, escalations
// between queues), with added, changed and removed filters, queues and edges marked. Pure.
import type { ContactCentreSpec } from "./model";
import type { RoutingDiff } from "./routingDiff";
import { holds, keyedFilters, knownWorkerWords } from "./routingDiffRoutes";

/** Text inside a quoted Mermaid label: entity codes for what the grammar would read. */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;")
    .replace(/`/g, "#96;")
    .replace(/\r?\n/g, "<br/>");
}

interface Edge {
  from: string;
  to: string;
  label: string;
  /** Stable identity for "did this edge exist before", independent of node ids. */
  identity: string;
}

/** The routing's edges: task → filters in order; filter → first queue; queue → next queue. */
function routingEdges(spec: ContactCentreSpec, filterId: (name: string) => string): Edge[] {
  const edges: Edge[] = [];
  const filters = [...keyedFilters(spec.workflow.filters)];
  const queue = (key: string): string => `q_${key}`;
  const first = filters.length
    ? filterId(filters[0]![0])
    : queue(spec.workflow.defaultTarget.queue);
  edges.push({ from: "task", to: first, label: "", identity: `task→${first}` });
  filters.forEach(([name, { filter }], index) => {
    const id = filterId(name);
    const next = filters[index + 1];
    const noMatch =
      next === undefined ? queue(spec.workflow.defaultTarget.queue) : filterId(next[0]);
    edges.push({
      from: id,
      to: noMatch,
      label: next === undefined ? "no match: default" : "no match",
      identity: `${name}→nomatch→${next === undefined ? `default:${spec.workflow.defaultTarget.queue}` : next[0]}`,
    });
    let from = id;
    let fromKey = `filter:${name}`;
    filter.targets.forEach((target, t) => {
      const notes: string[] = [];
      if (t === 0) notes.push("match");
      else {
        const previous = filter.targets[t - 1]!.timeout;
        notes.push(`${name}: ${previous === undefined ? "when skipped" : `after ${previous} s`}`);
      }
      if (target.priority !== undefined) notes.push(`priority ${target.priority}`);
      if (target.expression !== undefined) notes.push(`where ${target.expression}`);
      if (target.skipIf !== undefined) notes.push(`skip if ${target.skipIf}`);
      if (target.knownWorker !== undefined) notes.push(knownWorkerWords(target.knownWorker));
      if (target.orderBy !== undefined) notes.push(`order by ${target.orderBy}`);
      const label = notes.join(", ");
      edges.push({
        from,
        to: queue(target.queue),
        label,
        identity: `${fromKey}→${target.queue}:${label}`,
      });
      from = queue(target.queue);
      fromKey = `queue:${target.queue}`;
    });
    const last = filter.targets[filter.targets.length - 1];
    if (last?.timeout !== undefined) {
      const to = next === undefined ? "canceled" : filterId(next[0]);
      const label = `${name}: after ${last.timeout} s, next matching filter`;
      edges.push({
        from,
        to,
        label,
        identity: `${fromKey}→${next === undefined ? "canceled" : `filter:${next[0]}`}:${label}`,
      });
    }
  });
  return edges;
}

/** The flowchart of `head` with what changed since `base` (per `diff`'s changes) marked. */
export function routingFlowchart(
  base: ContactCentreSpec,
  head: ContactCentreSpec,
  diff: RoutingDiff,
): string {
  const headFilters = [...keyedFilters(head.workflow.filters).keys()];
  const baseFilters = [...keyedFilters(base.workflow.filters).keys()];
  const removedFilters = baseFilters.filter((name) => !headFilters.includes(name));
  const filterIds = new Map<string, string>();
  headFilters.forEach((name, i) => filterIds.set(name, `f${i + 1}`));
  removedFilters.forEach((name, i) => filterIds.set(name, `fx${i + 1}`));
  const filterId = (name: string): string => filterIds.get(name) as string;

  const members = (spec: ContactCentreSpec, key: string): number =>
    Object.values(spec.workers).filter((w) => holds(spec.queues[key]!.targetWorkers, w.attributes))
      .length;
  const changedQueues = new Set(
    diff.queues.filter((c) => c.kind === "changed").map((c) => c.subject),
  );
  for (const m of diff.membership) changedQueues.add(m.queue);
  const changedFilters = new Set(
    [...diff.filters, ...diff.targets].filter((c) => c.kind !== "added").map((c) => c.subject),
  );

  const lines = ["flowchart LR", '  task(["Incoming task"])'];
  const classes: Record<"added" | "changed" | "removed", string[]> = {
    added: [],
    changed: [],
    removed: [],
  };
  const mark = (id: string, kind: "added" | "changed" | "removed" | undefined): void => {
    if (kind) classes[kind].push(id);
  };
  for (const name of headFilters) {
    const filter = keyedFilters(head.workflow.filters).get(name)!.filter;
    lines.push(`  ${filterId(name)}{"${mermaidText(`${name}\n${filter.expression}`)}"}`);
    mark(
      filterId(name),
      !baseFilters.includes(name) ? "added" : changedFilters.has(name) ? "changed" : undefined,
    );
  }
  for (const name of removedFilters) {
    const filter = keyedFilters(base.workflow.filters).get(name)!.filter;
    lines.push(`  ${filterId(name)}{"${mermaidText(`${name} (removed)\n${filter.expression}`)}"}`);
    mark(filterId(name), "removed");
  }
  for (const [key, q] of Object.entries(head.queues)) {
    const n = members(head, key);
    const label = `${key}: ${q.friendlyName}\n${q.targetWorkers}\n${n} worker${n === 1 ? "" : "s"}`;
    lines.push(`  q_${key}["${mermaidText(label)}"]`);
    mark(
      `q_${key}`,
      !(key in base.queues) ? "added" : changedQueues.has(key) ? "changed" : undefined,
    );
  }
  for (const [key, q] of Object.entries(base.queues)) {
    if (key in head.queues) continue;
    lines.push(`  q_${key}["${mermaidText(`${key}: ${q.friendlyName} (removed)`)}"]`);
    mark(`q_${key}`, "removed");
  }
  const headEdges = routingEdges(head, filterId);
  const baseEdges = routingEdges(base, filterId);
  const baseIds = new Set(baseEdges.map((e) => e.identity));
  const headIds = new Set(headEdges.map((e) => e.identity));
  if ([...headEdges, ...baseEdges].some((e) => e.to === "canceled")) {
    lines.push('  canceled(["canceled"])');
  }
  const newLinks: number[] = [];
  const goneLinks: number[] = [];
  let index = 0;
  for (const e of headEdges) {
    const label = e.label ? `|"${mermaidText(e.label)}"|` : "";
    lines.push(`  ${e.from} -->${label} ${e.to}`);
    if (!baseIds.has(e.identity)) newLinks.push(index);
    index++;
  }
  for (const e of baseEdges) {
    if (headIds.has(e.identity)) continue;
    lines.push(`  ${e.from} -.->|"${mermaidText(`removed: ${e.label || "entry"}`)}"| ${e.to}`);
    goneLinks.push(index);
    index++;
  }
  lines.push(
    "  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "  classDef changed fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
    "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 4",
  );
  for (const kind of ["added", "changed", "removed"] as const) {
    if (classes[kind].length) lines.push(`  class ${classes[kind].join(",")} ${kind}`);
  }
  if (newLinks.length)
    lines.push(`  linkStyle ${newLinks.join(",")} stroke:#1a7f37,stroke-width:3px`);
  if (goneLinks.length) {
    lines.push(`  linkStyle ${goneLinks.join(",")} stroke:#cf222e,stroke-dasharray:4 4`);
  }
  return lines.join("\n");
}

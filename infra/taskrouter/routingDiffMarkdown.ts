// The routing diff as Markdown for a pull-request comment: who is affected, then one table per kind
// of object, then the flowchart. Pure.
import { canonicalJson, sameJson } from "./canonicalJson";
import { hasChanges, type Change, type RoutingDiff } from "./routingDiff";

export const NO_CHANGES = "No routing changes.";

/** A table cell: values as inline code (JSON unless a plain string), `—` when absent. */
function cell(value: unknown): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}\``;
}

/** Plain text in a cell (names), with pipes escaped. */
const plain = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** `["a","b"]` → `["a","b","c"]` reads better with `(+ "c")`. */
function arrayDelta(before: unknown, after: unknown): string {
  if (!Array.isArray(before) || !Array.isArray(after)) return "";
  const key = (v: unknown): string => canonicalJson(v);
  const added = after.filter((v) => !before.some((b) => key(b) === key(v)));
  const removed = before.filter((v) => !after.some((a) => key(a) === key(v)));
  const parts = [
    ...added.map((v) => `+${JSON.stringify(v)}`),
    ...removed.map((v) => `−${JSON.stringify(v)}`),
  ];
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function changeTable(
  title: string,
  subject: string,
  changes: Change[],
  withTarget = false,
): string[] {
  if (changes.length === 0) return [];
  const head = withTarget
    ? [`| ${subject} | target | change | before | after |`, "|---|---|---|---|---|"]
    : [`| ${subject} | change | before | after |`, "|---|---|---|---|"];
  const rows = changes.map((c) => {
    const what = c.kind === "changed" ? (c.field ?? "changed") : c.kind;
    const after = cell(c.after) + (c.kind === "changed" ? arrayDelta(c.before, c.after) : "");
    const cells = [plain(c.subject), ...(withTarget ? [plain(c.target ?? "")] : [])];
    return `| ${cells.join(" | ")} | ${what} | ${cell(c.before)} | ${after} |`;
  });
  return [`### ${title}`, "", ...head, ...rows, ""];
}

/** Markdown for a pull-request comment. */
export function renderDiffMarkdown(diff: RoutingDiff): string {
  const out = ["## Routing diff", "", `Base \`${diff.base}\` → head \`${diff.head}\``, ""];
  if (!hasChanges(diff)) return [...out, NO_CHANGES, ""].join("\n");

  out.push("### Who is affected", "");
  if (diff.membership.length === 0) out.push("No worker starts or stops matching a queue.", "");
  else {
    out.push("| worker | queue | change |", "|---|---|---|");
    for (const m of diff.membership)
      out.push(`| ${plain(m.worker)} | ${plain(m.queue)} | ${m.change} |`);
    out.push("");
  }
  out.push(`${diff.callers.length} of ${diff.callerKinds} kinds of caller route differently.`, "");
  if (diff.callers.length) {
    out.push("| caller | task attributes | route before | route after |", "|---|---|---|---|");
    for (const c of diff.callers) {
      const attrs =
        c.attributesBefore !== undefined &&
        c.attributesAfter !== undefined &&
        !sameJson(c.attributesBefore, c.attributesAfter)
          ? `${cell(c.attributesBefore)} → ${cell(c.attributesAfter)}`
          : cell(c.attributesAfter ?? c.attributesBefore);
      out.push(`| ${plain(c.caller)} | ${attrs} | ${cell(c.before)} | ${cell(c.after)} |`);
    }
    out.push("");
  }
  out.push(
    ...changeTable("Workers", "worker", diff.workers),
    ...changeTable("Queues", "queue", diff.queues),
    ...changeTable("Filters", "filter", diff.filters),
    ...changeTable("Targets", "filter", diff.targets, true),
    ...changeTable("Activities", "activity", diff.activities),
    ...changeTable("Task channels", "channel", diff.channels),
    ...changeTable("Workspace and workflow", "setting", diff.settings),
    ...changeTable("IVR", "option", diff.ivr),
  );
  out.push(
    "### Routing after the change",
    "",
    "Green: added; amber: changed; red, dashed: removed.",
    "",
    "```mermaid",
    diff.flowchart,
    "```",
    "",
  );
  return out.join("\n");
}

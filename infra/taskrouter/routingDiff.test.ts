import { strict as assert } from "node:assert";
import type { ContactCentreSpec } from "./model";
import { diffRouting, type RoutingDiff } from "./routingDiff";
import { attributeSetsFor } from "./routingDiffCallers";
import { mermaidText } from "./routingDiffFlowchart";
import { renderDiffMarkdown } from "./routingDiffMarkdown";
import { describeRoute } from "./routingDiffRoutes";
import { stackSpec } from "./testFixtures";

// Mermaid is ESM-only; a real `import()` (not the CommonJS `require` ts-node would emit) loads it.
const importEsm = new Function("specifier", "return import(specifier)") as (
  specifier: string,
) => Promise<{ default: unknown }>;

/**
 * Parse with Mermaid's own flowchart grammar. Mermaid sanitises labels with DOMPurify, which needs a
 * browser window; its hooks are stubbed (labels are not rendered here), the parser itself is real.
 */
async function parseMermaid(text: string): Promise<string> {
  const purify = (await importEsm("dompurify")).default as Record<string, unknown>;
  Object.assign(purify, {
    addHook() {},
    removeHook() {},
    removeHooks() {},
    sanitize: (s: unknown) => String(s),
  });
  const mermaid = (await importEsm("mermaid")).default as {
    parse(text: string): Promise<{ diagramType: string }>;
  };
  return (await mermaid.parse(text)).diagramType;
}

/** Ids declared as nodes, ids used by edges and class lines: every used id must be declared. */
function undeclaredIds(flowchart: string): string[] {
  const declared = new Set<string>();
  const used = new Set<string>();
  for (const line of flowchart.split("\n").slice(1)) {
    const node = /^ {2}([A-Za-z_][A-Za-z0-9_]*)[[({]/.exec(line);
    const edge = /^ {2}(\S+) -(?:->|\.->)(?:\|"[^"]*"\|)? (\S+)$/.exec(line);
    const cls = /^ {2}class (\S+) \w+$/.exec(line);
    if (edge) [edge[1], edge[2]].forEach((id) => used.add(id as string));
    else if (cls) cls[1]!.split(",").forEach((id) => used.add(id));
    else if (node) declared.add(node[1] as string);
  }
  return [...used].filter((id) => !declared.has(id));
}

const baseSpec = (): ContactCentreSpec => stackSpec("base.yaml");

function headSpec(edit: (spec: ContactCentreSpec) => void): ContactCentreSpec {
  const spec = stackSpec("head.yaml");
  edit(spec);
  return spec;
}

/** The sections of a rendered diff, by `### ` heading. */
function sections(markdown: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of markdown.split(/^### /m).slice(1)) {
    const newline = part.indexOf("\n");
    out[part.slice(0, newline)] = part.slice(newline + 1);
  }
  return out;
}

/** A head with one of each kind of change, for the structural checks. */
function bigChange(): ContactCentreSpec {
  return headSpec((s) => {
    s.queues.vip = {
      friendlyName: "VIP",
      targetWorkers: "level >= 2",
      taskOrder: "LIFO",
      maxReservedWorkers: 2,
    };
    s.workers.Shyam!.attributes.level = 3;
    s.workflow.filters.unshift({
      name: "VIP",
      expression: 'tier IN ["gold", "platinum"] AND lang == "english"',
      targets: [
        { queue: "vip", priority: 10, timeout: 30, skipIf: "workers.available == 0" },
        { queue: "english", priority: 5, expression: "worker.level > task.level" },
      ],
    });
    s.workflow.filters.pop();
    delete (s.queues as Record<string, unknown>).hindi;
    delete (s.workers as Record<string, unknown>).Alice;
    s.phone.ivr.options["3"] = { label: "VIP | gold", attributes: { tier: "gold", lang: "x" } };
    s.workflow.reservationTimeout = 30;
    s.activities.Break = { available: false };
  });
}

describe("routing diff", () => {
  it("says there are no routing changes when both sides are the same", () => {
    const diff = diffRouting(
      baseSpec(),
      headSpec(() => {}),
    );
    assert.equal(
      renderDiffMarkdown(diff),
      "## Routing diff\n\nBase `base.yaml` → head `head.yaml`\n\nNo routing changes.\n",
    );
    assert.equal(diff.flowchart, "");
  });

  it("ignores whitespace, quote and keyword-case differences in expressions", () => {
    const head = headSpec((s) => {
      s.queues.hindi!.targetWorkers = "languages  has 'hindi'";
      s.workflow.filters[0]!.expression = "lang=='hindi'";
    });
    assert.equal(
      renderDiffMarkdown(diffRouting(baseSpec(), head)).endsWith("No routing changes.\n"),
      true,
    );
  });

  it("renders a skill and a timeout change as exact Markdown sections", () => {
    const head = headSpec((s) => {
      s.workers.Alice!.attributes.languages = ["english", "hindi"];
      s.workflow.filters[0]!.targets[0]!.timeout = 120;
    });
    const markdown = renderDiffMarkdown(diffRouting(baseSpec(), head));
    const parts = sections(markdown);
    assert.deepEqual(Object.keys(parts), [
      "Who is affected",
      "Workers",
      "Targets",
      "Routing after the change",
    ]);
    assert.equal(
      parts["Who is affected"],
      [
        "",
        "| worker | queue | change |",
        "|---|---|---|",
        "| Alice | hindi | starts matching |",
        "",
        "1 of 3 kinds of caller route differently.",
        "",
        "| caller | task attributes | route before | route after |",
        "|---|---|---|---|",
        '| IVR 2 "Hindi" | `{"lang":"hindi"}` | `Hindi: hindi (60 s) → english` | `Hindi: hindi (120 s) → english` |',
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts.Workers,
      [
        "",
        "| worker | change | before | after |",
        "|---|---|---|---|",
        '| Alice | attributes.languages | `["english"]` | `["english","hindi"]` (+"hindi") |',
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts.Targets,
      [
        "",
        "| filter | target | change | before | after |",
        "|---|---|---|---|---|",
        "| Hindi | hindi | timeout | `60` | `120` |",
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts["Routing after the change"],
      [
        "",
        "Green: added; amber: changed; red, dashed: removed.",
        "",
        "```mermaid",
        "flowchart LR",
        '  task(["Incoming task"])',
        '  f1{"Hindi<br/>lang == #quot;hindi#quot;"}',
        '  q_english["english: English<br/>languages HAS #quot;english#quot;<br/>1 worker"]',
        '  q_hindi["hindi: Hindi<br/>languages HAS #quot;hindi#quot;<br/>2 workers"]',
        "  task --> f1",
        '  f1 -->|"no match: default"| q_english',
        '  f1 -->|"match"| q_hindi',
        '  q_hindi -->|"Hindi: after 120 s"| q_english',
        '  q_hindi -.->|"removed: Hindi: after 60 s"| q_english',
        "  classDef added fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
        "  classDef changed fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
        "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 4",
        "  class f1,q_hindi changed",
        "  linkStyle 3 stroke:#1a7f37,stroke-width:3px",
        "  linkStyle 4 stroke:#cf222e,stroke-dasharray:4 4",
        "```",
        "",
      ].join("\n"),
    );
    assert.equal(
      markdown.startsWith("## Routing diff\n\nBase `base.yaml` → head `head.yaml`\n\n"),
      true,
    );
  });

  it("lists added and removed workers, queues, filters, activities and IVR options", () => {
    const parts = sections(renderDiffMarkdown(diffRouting(baseSpec(), bigChange())));
    assert.equal(
      parts.Workers,
      [
        "",
        "| worker | change | before | after |",
        "|---|---|---|---|",
        "| Shyam | attributes.level | — | `3` |",
        '| Alice | removed | `{"activity":"Available","attributes":{"languages":["english"],"contact_uri":"client:alice"}}` | — |',
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts.Queues,
      [
        "",
        "| queue | change | before | after |",
        "|---|---|---|---|",
        '| vip | added | — | `{"friendlyName":"VIP","targetWorkers":"level >= 2","taskOrder":"LIFO","maxReservedWorkers":2}` |',
        '| hindi | removed | `{"friendlyName":"Hindi","targetWorkers":"languages HAS \\"hindi\\"","taskOrder":"FIFO","maxReservedWorkers":1}` | — |',
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts.Filters,
      [
        "",
        "| filter | change | before | after |",
        "|---|---|---|---|",
        '| VIP | added | — | `{"position":1,"expression":"tier IN [\\"gold\\", \\"platinum\\"] AND lang == \\"english\\"","targets":"vip (priority 10, 30 s, skip if workers.available == 0) → english (priority 5, where worker.level > task.level)"}` |',
        '| Hindi | removed | `{"position":1,"expression":"lang == \\"hindi\\"","targets":"hindi (60 s) → english"}` | — |',
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts.Activities,
      [
        "",
        "| activity | change | before | after |",
        "|---|---|---|---|",
        '| Break | added | — | `{"available":false}` |',
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts["Workspace and workflow"],
      [
        "",
        "| setting | change | before | after |",
        "|---|---|---|---|",
        "| workflow.reservationTimeout | changed | `120` | `30` |",
        "",
        "",
      ].join("\n"),
    );
    assert.equal(
      parts.IVR,
      [
        "",
        "| option | change | before | after |",
        "|---|---|---|---|",
        '| 3 | added | — | `{"label":"VIP \\| gold","attributes":{"tier":"gold","lang":"x"}}` |',
        "",
        "",
      ].join("\n"),
    );
  });

  it("lists who starts and stops matching and which kinds of caller route differently", () => {
    const diff = diffRouting(baseSpec(), bigChange());
    assert.deepEqual(diff.membership, [
      { worker: "Alice", queue: "english", change: "stops matching" },
      { worker: "Shyam", queue: "hindi", change: "stops matching" },
      { worker: "Shyam", queue: "vip", change: "starts matching" },
    ]);
    assert.deepEqual(diff.callers, [
      {
        caller: 'IVR 2 "Hindi"',
        attributesBefore: { lang: "hindi" },
        attributesAfter: { lang: "hindi" },
        before: "Hindi: hindi (60 s) → english",
        after: "default: english",
      },
      {
        caller: 'IVR 3 "VIP | gold"',
        attributesAfter: { tier: "gold", lang: "x" },
        before: "—",
        after: "default: english",
      },
      {
        caller: 'filter "VIP"',
        attributesBefore: { tier: "gold", lang: "english" },
        attributesAfter: { tier: "gold", lang: "english" },
        before: "default: english",
        after:
          "VIP: vip (priority 10, 30 s, skip if workers.available == 0) → english (priority 5, where worker.level > task.level)",
      },
      {
        caller: 'filter "VIP"',
        attributesBefore: { tier: "platinum", lang: "english" },
        attributesAfter: { tier: "platinum", lang: "english" },
        before: "default: english",
        after:
          "VIP: vip (priority 10, 30 s, skip if workers.available == 0) → english (priority 5, where worker.level > task.level)",
      },
    ]);
    assert.equal(diff.callerKinds, 6);
  });

  it("shows an IVR option whose attributes changed with both attribute sets", () => {
    const head = headSpec((s) => {
      s.phone.ivr.options["2"]!.attributes = { lang: "english" };
    });
    const parts = sections(renderDiffMarkdown(diffRouting(baseSpec(), head)));
    assert.equal(
      parts["Who is affected"],
      [
        "",
        "No worker starts or stops matching a queue.",
        "",
        "1 of 3 kinds of caller route differently.",
        "",
        "| caller | task attributes | route before | route after |",
        "|---|---|---|---|",
        '| IVR 2 "Hindi" | `{"lang":"hindi"}` → `{"lang":"english"}` | `Hindi: hindi (60 s) → english` | `default: english` |',
        "",
        "",
      ].join("\n"),
    );
  });

  it("shows a change to opening hours day by day, a closure added, and the maximum wait", () => {
    const hours = (mon: string[], closures: { name: string; date: string }[]) => ({
      timeZone: "Europe/London",
      weekly: { mon, tue: ["08:30-17:30"] },
      closures,
      closedMessage: "We are closed.",
    });
    const christmas = { name: "Christmas Day", date: "2026-12-25" };
    const withHours = (
      spec: ContactCentreSpec,
      mon: string[],
      more: (typeof christmas)[],
      wait: number,
    ) => {
      const main = Object.values(spec.lines)[0]!;
      main.hours = hours(mon, [christmas, ...more]);
      main.maxWait = wait;
      return spec;
    };
    const base = withHours(baseSpec(), ["08:30-17:30"], [], 120);
    const head = withHours(
      headSpec(() => {}),
      ["08:00-12:00", "13:00-17:30"],
      [{ name: "Boxing Day", date: "2026-12-26" }],
      180,
    );
    const ivr = sections(renderDiffMarkdown(diffRouting(base, head))).IVR;
    assert.equal(
      ivr,
      [
        "",
        "| option | change | before | after |",
        "|---|---|---|---|",
        '| menu | hours.weekly.mon | `["08:30-17:30"]` | `["08:00-12:00","13:00-17:30"]` (+"08:00-12:00", +"13:00-17:30", −"08:30-17:30") |',
        '| menu | hours.closures | `[{"name":"Christmas Day","date":"2026-12-25"}]` | `[{"name":"Christmas Day","date":"2026-12-25"},{"name":"Boxing Day","date":"2026-12-26"}]` (+{"name":"Boxing Day","date":"2026-12-26"}) |',
        "| menu | maxWait | `120` | `180` |",
        "",
        "",
      ].join("\n"),
    );
  });

  it("shows hours added to a line that had none as one change", () => {
    const head = headSpec((s) => {
      Object.values(s.lines)[0]!.hours = {
        timeZone: "UTC",
        weekly: { mon: ["09:00-17:00"] },
        closedMessage: "Closed.",
      };
    });
    const diff = diffRouting(baseSpec(), head);
    assert.deepEqual(
      diff.ivr.map((c) => [c.subject, c.field, c.before]),
      [["menu", "hours", undefined]],
    );
  });

  it("reports a filter moved ahead of another as a position change", () => {
    const head = headSpec((s) => {
      s.workflow.filters.push({
        name: "Everyone",
        expression: "1==1",
        targets: [{ queue: "english" }],
      });
      s.workflow.filters.reverse();
    });
    const diff = diffRouting(baseSpec(), head);
    assert.deepEqual(diff.filters, [
      {
        kind: "added",
        subject: "Everyone",
        after: { position: 1, expression: "1==1", targets: "english" },
      },
      { kind: "changed", subject: "Hindi", field: "position", before: 1, after: 2 },
    ]);
  });

  it("emits flowcharts that Mermaid's flowchart grammar accepts, with every used id declared", async () => {
    const heads = [
      bigChange(),
      headSpec((s) => {
        s.workflow.filters[0]!.targets.push({ queue: "hindi", timeout: 10 });
        s.workflow.filters[0]!.targets[1]!.timeout = 5;
        s.workflow.filters.push({
          name: 'Odd "name" | #1 <b>',
          expression: "x CONTAINS '|' OR y > 2",
          targets: [{ queue: "english", timeout: 15 }],
        });
      }),
    ];
    for (const head of heads) {
      const diff: RoutingDiff = diffRouting(baseSpec(), head);
      assert.equal(await parseMermaid(diff.flowchart), "flowchart-v2");
      assert.deepEqual(undeclaredIds(diff.flowchart), []);
    }
  });

  it("the Mermaid check rejects a malformed flowchart", async () => {
    await assert.rejects(parseMermaid('flowchart LR\n  a["unclosed --> b\n'), /Parse error/);
  });
});

describe("routing diff helpers", () => {
  it("escapes what Mermaid's label grammar would read as syntax", () => {
    assert.equal(
      mermaidText('a "b" <c> | #d `e`\nf'),
      "a #quot;b#quot; #lt;c#gt; #124; #35;d #96;e#96;<br/>f",
    );
  });

  it("derives attribute sets that satisfy a filter expression", () => {
    assert.deepEqual(attributeSetsFor('language IN ["en", "es"] AND vip == true'), [
      { language: "en", vip: true },
      { language: "es", vip: true },
    ]);
    assert.deepEqual(attributeSetsFor('skills HAS "sales" OR age > 65'), [
      { skills: ["sales"] },
      { age: 66 },
    ]);
    assert.deepEqual(attributeSetsFor("customer.tier == 'gold'"), [{ customer: { tier: "gold" } }]);
    assert.deepEqual(attributeSetsFor('a == "x" AND a == "y"'), []);
    assert.deepEqual(attributeSetsFor("not an expression ("), []);
  });

  it("describes a route that falls through every matching filter as canceled", () => {
    const spec = headSpec((s) => {
      s.workflow.filters[0]!.targets = [{ queue: "hindi", timeout: 30 }];
    });
    assert.equal(describeRoute(spec, { lang: "hindi" }), "Hindi: hindi (30 s) ⇒ canceled");
    assert.equal(describeRoute(spec, { lang: "french" }), "default: english");
  });
});

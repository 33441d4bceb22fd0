import assert from "node:assert/strict";
import { collectChain, mergeLayers, mergeOverlay, overlaySchema, resolveExtends } from "./overlay";

describe("mergeOverlay", () => {
  const cases: { name: string; base: unknown; overlay: unknown; expected: unknown }[] = [
    {
      name: "adds keys the base does not have, after the base's keys",
      base: { workers: { Shyam: { activity: "Available" } } },
      overlay: { workers: { Meera: { activity: "Offline" } } },
      expected: { workers: { Shyam: { activity: "Available" }, Meera: { activity: "Offline" } } },
    },
    {
      name: "overrides a scalar and keeps its siblings",
      base: { workflow: { friendlyName: "Routing", reservationTimeout: 30 } },
      overlay: { workflow: { reservationTimeout: 120 } },
      expected: { workflow: { friendlyName: "Routing", reservationTimeout: 120 } },
    },
    {
      name: "merges maps recursively, key by key",
      base: {
        workers: { Shyam: { attributes: { languages: ["hindi"], contact_uri: "client:shyam" } } },
      },
      overlay: { workers: { Shyam: { attributes: { contact_uri: "+15555550111" } } } },
      expected: {
        workers: { Shyam: { attributes: { languages: ["hindi"], contact_uri: "+15555550111" } } },
      },
    },
    {
      name: "removes an entry whose overlay value is null",
      base: { workers: { Alice: { activity: "Available" }, Shyam: { activity: "Available" } } },
      overlay: { workers: { Alice: null } },
      expected: { workers: { Shyam: { activity: "Available" } } },
    },
    {
      name: "ignores a null for a key the base does not have",
      base: { workers: {} },
      overlay: { workers: { Nobody: null } },
      expected: { workers: {} },
    },
    {
      name: "replaces arrays wholesale instead of merging them",
      base: { filters: [{ name: "English" }, { name: "Hindi" }] },
      overlay: { filters: [{ name: "Everyone" }] },
      expected: { filters: [{ name: "Everyone" }] },
    },
    {
      name: "replaces a map with a scalar and a scalar with a map",
      base: { a: { b: 1 }, c: 2 },
      overlay: { a: 3, c: { d: 4 } },
      expected: { a: 3, c: { d: 4 } },
    },
    {
      name: "drops nulls inside an entry that is new in the overlay",
      base: {},
      overlay: { workers: { Tom: { activity: null, attributes: { languages: ["english"] } } } },
      expected: { workers: { Tom: { attributes: { languages: ["english"] } } } },
    },
  ];
  for (const { name, base, overlay, expected } of cases) {
    it(name, () => assert.deepEqual(mergeOverlay(base, overlay), expected));
  }

  it("keeps the base's key order and appends new keys", () => {
    const merged = mergeOverlay({ b: 1, a: 1, c: 1 }, { d: 2, a: 2 }) as object;
    assert.deepEqual(Object.keys(merged), ["b", "a", "c", "d"]);
  });

  it("does not modify its arguments", () => {
    const base = { workers: { Alice: { activity: "Available" } } };
    const overlay = { workers: { Alice: null } };
    mergeOverlay(base, overlay);
    assert.deepEqual(base, { workers: { Alice: { activity: "Available" } } });
    assert.deepEqual(overlay, { workers: { Alice: null } });
  });
});

describe("mergeLayers", () => {
  it("applies a chain base first and drops every extends key", () => {
    const base = { extends: "nothing.yaml", a: 1, b: { c: 1, d: 1 } };
    const middle = { extends: "base.yaml", b: { c: 2 }, e: [1, 2] };
    const top = { extends: "middle.yaml", b: { d: null }, e: [3] };
    assert.deepEqual(mergeLayers([base, middle, top]), { a: 1, b: { c: 2 }, e: [3] });
  });

  it("keeps a null written in a stack that extends nothing, for the schema to report", () => {
    assert.deepEqual(mergeLayers([{ phone: { holdMusicUrl: null } }]), {
      phone: { holdMusicUrl: null },
    });
  });
});

describe("collectChain", () => {
  const files: Record<string, unknown> = {
    "stacks/prod.yaml": { extends: "dev.yaml", n: 3 },
    "stacks/dev.yaml": { extends: "../shared/base.yaml", n: 2 },
    "shared/base.yaml": { n: 1 },
    "stacks/a.yaml": { extends: "b.yaml" },
    "stacks/b.yaml": { extends: "./a.yaml" },
    "stacks/broken.yaml": { extends: "missing.yaml" },
  };
  const load = (file: string): { file: string; data: unknown } => {
    if (!(file in files)) throw new Error("no such file");
    return { file, data: files[file] };
  };

  it("follows extends relative to each file, most derived first", () => {
    assert.deepEqual(collectChain("stacks/prod.yaml", load), {
      layers: [
        { file: "stacks/prod.yaml", data: files["stacks/prod.yaml"] },
        { file: "stacks/dev.yaml", data: files["stacks/dev.yaml"] },
        { file: "shared/base.yaml", data: files["shared/base.yaml"] },
      ],
    });
  });

  it("reports a cycle with the whole chain, in the file that closes it", () => {
    const { problem } = collectChain("stacks/a.yaml", load);
    assert.deepEqual(problem, {
      file: "stacks/b.yaml",
      message: "extends cycle: stacks/a.yaml → stacks/b.yaml → stacks/a.yaml",
    });
  });

  it("reports a file that cannot be read in the file that extends it", () => {
    const { layers, problem } = collectChain("stacks/broken.yaml", load);
    assert.equal(layers.length, 1);
    assert.deepEqual(problem, {
      file: "stacks/broken.yaml",
      message: 'cannot read "stacks/missing.yaml": no such file',
    });
  });

  it("stops without a problem when a file does not parse (the loader reports why)", () => {
    assert.deepEqual(
      collectChain("stacks/prod.yaml", (f) => (f === "stacks/dev.yaml" ? undefined : load(f))),
      { layers: [{ file: "stacks/prod.yaml", data: files["stacks/prod.yaml"] }] },
    );
  });
});

describe("resolveExtends", () => {
  it("resolves against the extending file's folder", () => {
    assert.equal(resolveExtends("stacks/prod.yaml", "dev.yaml"), "stacks/dev.yaml");
    assert.equal(resolveExtends("/tmp/x/prod.yaml", "../dev.yaml"), "/tmp/dev.yaml");
  });
});

describe("overlaySchema", () => {
  it("makes map properties optional and nullable, keeping descriptions and list items whole", () => {
    const schema = {
      type: "object",
      required: ["a", "list"],
      properties: {
        a: { type: "string", description: "A." },
        list: { type: "array", items: { type: "object", required: ["q"], properties: { q: {} } } },
      },
      patternProperties: { "^x": { type: "object", required: ["y"], properties: { y: {} } } },
    };
    assert.deepEqual(overlaySchema(schema), {
      type: "object",
      properties: {
        a: { description: "A.", anyOf: [{ type: "string" }, { type: "null" }] },
        list: {
          anyOf: [
            {
              type: "array",
              items: { type: "object", required: ["q"], properties: { q: {} } },
            },
            { type: "null" },
          ],
        },
      },
      patternProperties: {
        "^x": {
          anyOf: [
            { type: "object", properties: { y: { anyOf: [{}, { type: "null" }] } } },
            { type: "null" },
          ],
        },
      },
    });
  });
});

import assert from "node:assert/strict";
import { canonicalJson, sameJson } from "./canonicalJson";

describe("canonicalJson", () => {
  it("sorts the keys of every object, nested ones and those in arrays included", () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: "x" } }),
      '{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it("keeps the order of array items", () => {
    assert.equal(
      canonicalJson({ languages: ["hindi", "english"] }),
      '{"languages":["hindi","english"]}',
    );
  });

  it("gives the same text for the same value written in different key orders", () => {
    assert.equal(
      canonicalJson({ contact_uri: "client:alice", languages: ["english"] }),
      canonicalJson({ languages: ["english"], contact_uri: "client:alice" }),
    );
  });

  it("leaves out keys whose value is undefined, and writes null", () => {
    assert.equal(canonicalJson({ b: undefined, a: null }), '{"a":null}');
  });

  it("writes scalars as JSON does and gives undefined for undefined", () => {
    assert.equal(canonicalJson('a"b'), '"a\\"b"');
    assert.equal(canonicalJson(30), "30");
    assert.equal(canonicalJson(false), "false");
    assert.equal(canonicalJson(undefined), undefined);
  });

  it("writes the keys a key order names first, in that order, and the rest after, sorted", () => {
    const order = (parentKey: string): readonly string[] =>
      parentKey === "" ? ["queue", "timeout"] : parentKey === "items" ? ["name"] : [];
    assert.equal(
      canonicalJson(
        {
          zeta: 1,
          timeout: 5,
          items: [{ b: 2, name: "x", a: 1 }],
          queue: "q",
          alpha: { y: 1, x: 2 },
        },
        order,
      ),
      '{"queue":"q","timeout":5,"alpha":{"x":2,"y":1},"items":[{"name":"x","a":1,"b":2}],"zeta":1}',
    );
  });
  it("takes keys named like Object's own properties as plain keys", () => {
    assert.equal(
      canonicalJson({ toString: 1, constructor: { b: 1, a: 2 } }, (key) =>
        key === "" ? ["toString"] : [],
      ),
      '{"toString":1,"constructor":{"a":2,"b":1}}',
    );
    assert.equal(
      canonicalJson({}, () => ["constructor"]),
      "{}",
    );
  });
});

describe("sameJson", () => {
  it("holds for equal values in any key order, and not for a different value or array order", () => {
    assert.equal(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }), true);
    assert.equal(sameJson({ a: 1 }, { a: "1" }), false);
    assert.equal(sameJson([1, 2], [2, 1]), false);
    assert.equal(sameJson(undefined, undefined), true);
    assert.equal(sameJson(undefined, null), false);
  });
});

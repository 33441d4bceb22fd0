// The dynamic-provider process's way into the implementation: every resource's `__provider` text
// (thin.ts) requires this file (as contact-centre-providers/load, the package.json's link) and
// calls it with its kind. Plain JavaScript, since it runs before ts-node is registered in that
// process; it registers ts-node (unless the process already has it) and returns
// `impl.providerFor(kind)`.
"use strict";
const path = require("node:path");

module.exports = (kind) => {
  if (!process[Symbol.for("ts-node.register.instance")]) {
    require("ts-node").register({
      transpileOnly: true,
      projectSearchDir: path.join(__dirname, "..", "..", ".."),
    });
  }
  return require("./impl").providerFor(kind);
};

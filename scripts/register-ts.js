// Runs the TypeScript sources directly: `node --require ./scripts/register-ts.js main.ts`.
// Each .ts file is stripped of its types by @swc/core (the transform jest uses too) as Node loads it; nothing else
// is hooked, so package resolution stays Node's own. Measured on this project's synth: about 2.0 s against 3.3 s
// with @swc-node/register and 3.5 s with tsx, whose resolver hooks and source maps run on every require and on
// every stack trace cdktf captures. Type checking is `npm run typecheck`'s job, once.
const { readFileSync } = require("node:fs");
const Module = require("node:module");
const { transformSync } = require("@swc/core");

Module._extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, "utf8"), {
    filename,
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  });
  module._compile(code, filename);
};

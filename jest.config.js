/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // One scratch directory per run (TMPDIR), on tmpfs when there is one, removed at the end (test/scratch-directory.ts).
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  // Synthesizing stacks is CPU-bound; two workers match the CI machines' two cores.
  maxWorkers: 2,
  // Hooks synthesize whole environments; on a 2-core machine under load that can exceed jest's 5 s default.
  testTimeout: 30_000,
};

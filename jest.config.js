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
  // Three workers on the CI machines' two cores: a fifth of the suite waits on the processes it runs (synths, terraform,
  // PostgreSQL, a PID namespace), and a third worker fills that time. Measured quietly on 2 cores: 2 workers 232 s,
  // 3 workers 193 s, 4 workers 210 s.
  maxWorkers: 3,
  // Hooks synthesize whole environments; on a 2-core machine under load that can exceed jest's 5 s default.
  testTimeout: 30_000,
};

/**
 * `npm run test:browser`: the report in a real browser (Chromium at /usr/bin/chromium, or CHROMIUM_PATH). Kept out
 * of `npm test` so that the default suite runs on a machine without Chromium.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require("./jest.config.js"),
  testMatch: ["**/*.browser-test.ts"],
  maxWorkers: 1,
  testTimeout: 60_000,
};

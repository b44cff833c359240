/**
 * The supported scale, and the bounds that keep synth's work in proportion to it (docs/scaling.md). Each bound is
 * checked before the work it bounds (a file's size before it is read, nesting before a parser recurses, counts
 * before a schema walks every entry), and its message names the bound, so an input past it is refused at once
 * instead of running for minutes or overflowing the stack.
 */

/** Applications (tenants) per environment: measured at 10,000 (docs/scaling.md), the most this project supports. */
export const MAX_APPLICATIONS = 10_000;
/** A config file: 10,000 applications take about 3 MB of YAML. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** A policy file: a policy with thousands of path blocks is about 100 KB. */
export const MAX_POLICY_BYTES = 1024 * 1024;
/** Expectations (allow plus deny) in one policy test file. */
export const MAX_EXPECTATIONS = 10_000;
/** A policy test file: 10,000 expectations take about 600 KB. */
export const MAX_POLICY_TEST_BYTES = 1024 * 1024;

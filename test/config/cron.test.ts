import { longestGapSeconds, parseCron, type CronEngine } from "../../config/cron";

const days = (expr: string, engine: CronEngine = "github") => longestGapSeconds(parseCron(expr, engine)) / 86400;

describe("cron schedules", () => {
  it("measures the longest wait between runs", () => {
    expect(days("17 6 1 */2 *")).toBe(62); // every other month: July 1 to September 1 at most
    expect(days("0 6 1 1,4,7,10 *")).toBe(92); // quarterly: July 1 to October 1
    expect(days("0 * * * *")).toBeCloseTo(1 / 24);
    expect(days("0 0 * * 1")).toBe(7);
  });

  it("measures a list written out of order as the times it names", () => {
    expect(longestGapSeconds(parseCron("30,0 * * * *", "github"))).toBe(1800);
    expect(longestGapSeconds(parseCron("0 12,0 * * *", "kubernetes"))).toBe(43_200);
    expect(longestGapSeconds(parseCron("59,0 0 * * 1", "github"))).toBe(7 * 86_400 - 59 * 60);
  });

  it("treats restricted day-of-month and day-of-week as either (POSIX cron)", () => {
    expect(days("0 0 1 * 1")).toBeLessThanOrEqual(7);
  });

  it("reads a stepped star in a day field as Kubernetes does: restricted, unless the step is 1", () => {
    // robfig/cron v3 parser.go getRange: `*` sets the star bit, a step above 1 clears it.
    expect(days("0 3 */2 * 1", "kubernetes")).toBe(2); // odd days or Mondays
    expect(days("0 3 */1 * 1", "kubernetes")).toBe(7); // Mondays
    expect(days("0 3 *,5 * 1", "kubernetes")).toBe(7); // Mondays: a star item leaves the field open
    expect(days("0 3 */1 * 1", "github")).toBe(1); // POSIX: only a bare * leaves it open, so every day
  });

  it("finds a schedule that never fires", () => {
    for (const engine of ["github", "kubernetes"] as const) {
      expect(longestGapSeconds(parseCron("0 0 30 2 *", engine))).toBe(Infinity);
      expect(longestGapSeconds(parseCron("0 0 31 4,6,9,11 *", engine))).toBe(Infinity);
    }
  });

  it("fails if a field is malformed or out of range, naming it", () => {
    expect(() => parseCron("0 0 */80 * *", "github")).not.toThrow();
    expect(() => parseCron("every 80 days", "github")).toThrow(/must be a five-field cron schedule such as "0 \* \* \* \*" .*got 3 fields/);
    expect(() => parseCron("0 24 * * *", "github")).toThrow(/the hour field "24" is outside 0-23/);
    expect(() => parseCron("0 0 0 * *", "kubernetes")).toThrow(/the day of month field "0" is outside 1-31/);
    expect(() => parseCron("0 0 5-1 * *", "kubernetes")).toThrow(/the day of month field "5-1" has a range that ends before it starts/);
    expect(() => parseCron("*/0 0 * * *", "kubernetes")).toThrow(/the minute field "\*\/0" has a step of 0/);
    expect(() => parseCron("x 0 * * *", "github")).toThrow(/the minute field "x" is not \*, a number, a range a-b, a step \/n or a list/);
  });

  it("refuses 7 for Sunday, as Kubernetes does and GitHub's documented range 0-6 says", () => {
    for (const engine of ["github", "kubernetes"] as const) {
      expect(() => parseCron("0 3 * * 7", engine)).toThrow(/the day of week field "7" is outside 0-6/);
      expect(() => parseCron("0 3 * * 1-7", engine)).toThrow(/the day of week field "1-7" is outside 0-6/);
    }
  });
});

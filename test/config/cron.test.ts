import { longestGapSeconds, parseCron } from "../../config/cron";

const days = (expr: string) => longestGapSeconds(parseCron(expr)) / 86400;

describe("cron schedules", () => {
  it("measures the longest wait between runs", () => {
    expect(days("17 6 1 */2 *")).toBe(62); // every other month: July 1 to September 1 at most
    expect(days("0 6 1 1,4,7,10 *")).toBe(92); // quarterly: July 1 to October 1
    expect(days("0 * * * *")).toBeCloseTo(1 / 24);
    expect(days("0 0 * * 1")).toBe(7);
  });

  it("treats restricted day-of-month and day-of-week as either (POSIX cron)", () => {
    expect(days("0 0 1 * 1")).toBeLessThanOrEqual(7);
  });

  it("finds a schedule that never fires", () => {
    expect(longestGapSeconds(parseCron("0 0 30 2 *"))).toBe(Infinity);
    expect(longestGapSeconds(parseCron("0 0 31 4,6,9,11 *"))).toBe(Infinity);
  });

  it("fails if a field is malformed or out of range, naming it", () => {
    expect(() => parseCron("0 0 */80 * *")).not.toThrow();
    expect(() => parseCron("every 80 days")).toThrow(/must have 5 fields/);
    expect(() => parseCron("0 24 * * *")).toThrow(/hour "24" is outside 0-23/);
    expect(() => parseCron("0 0 0 * *")).toThrow(/day of month "0" is outside 1-31/);
    expect(() => parseCron("x 0 * * *")).toThrow(/minute "x" is not \*, a number, a range or a step/);
  });
});

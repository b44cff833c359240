/**
 * go-secure-stdlib parseutil.ParseDurationSecond, as vault/policy.go applies it to wrapping TTLs and control-group
 * TTLs (written for this project after go-secure-stdlib/parseutil/parseutil.go, the version with `overflowMul`
 * and the `d` suffix), and Go's time.ParseDuration it falls back to (src/time/format.go). Durations are exact
 * int64 nanoseconds (bigint): a number is whole seconds (a float is truncated toward zero, as Go converts it), a
 * product beyond int64 is an error, not a wrapped value.
 */
import type { GoValue } from "../../config/hcl1/value";
import { parseGoInt } from "../../config/hcl1/value";

const SECOND = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const OVERFLOW = "multiplication of durations resulted in overflow, one operand may be too large";

function overflowMul(a: bigint, b: bigint): bigint {
  const x = a * b;
  if (x > INT64_MAX || x < INT64_MIN) throw new Error(OVERFLOW);
  return x;
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, "µs": 1000n, "μs": 1000n, ms: 1_000_000n, s: SECOND, m: 60n * SECOND, h: 3600n * SECOND };

/** Go's time.ParseDuration, in nanoseconds. */
export function goParseDuration(orig: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  const LIMIT = 1n << 63n;
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || (s[0] >= "0" && s[0] <= "9"))) throw invalid();
    let i = 0;
    let v = 0n;
    while (i < s.length && s[i] >= "0" && s[i] <= "9") {
      if (v > LIMIT / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) throw invalid();
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    let post = false;
    let f = 0n;
    let scale = 1n;
    if (s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (j < s.length && s[j] >= "0" && s[j] <= "9") {
        if (!overflow) {
          if (f > INT64_MAX / 10n) overflow = true;
          else {
            const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
            if (y > LIMIT) overflow = true;
            else {
              f = y;
              scale *= 10n;
            }
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid();
    let k = 0;
    while (k < s.length && !(s[k] === "." || (s[k] >= "0" && s[k] <= "9"))) k++;
    if (k === 0) throw new Error(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) throw new Error(`time: unknown unit ${JSON.stringify(u)} in duration ${JSON.stringify(orig)}`);
    if (v > LIMIT / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale))
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / Number(scale))));
      if (v > LIMIT) throw invalid();
    }
    d += v;
    if (d > LIMIT) throw invalid();
  }
  if (neg) return -d;
  if (d > INT64_MAX) throw invalid();
  return d;
}

/** Go's float64 to int64 conversion on amd64: truncation, and the "integer indefinite" value when out of range. */
function goFloatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

/** parseutil.ParseDurationSecond, in nanoseconds; undefined (Go's nil) is zero. */
export function parseDurationSecond(value: GoValue | undefined): bigint {
  if (value === undefined) return 0n;
  switch (value.t) {
    case "string": {
      const s = value.v;
      if (s === "") return 0n;
      if (/^[+-]?\d+$/.test(s)) {
        let v: bigint | undefined;
        try {
          v = parseGoInt(s.replace(/^([+-]?)0+(?=\d)/, "$1"));
        } catch {
          v = undefined;
        }
        if (v !== undefined) return overflowMul(v, SECOND);
      }
      if (s.endsWith("d")) {
        const body = s.slice(0, -1);
        if (!/^[+-]?\d+$/.test(body)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(body)}: invalid syntax`);
        return overflowMul(parseGoInt(body.replace(/^([+-]?)0+(?=\d)/, "$1")), 86400n * SECOND);
      }
      return goParseDuration(s);
    }
    case "int":
      return overflowMul(value.v, SECOND);
    case "float":
      return overflowMul(goFloatToInt64(value.v), SECOND);
    default:
      throw new Error("could not parse duration from input");
  }
}

/** Parameter value matching, against go-secure-stdlib's own tables and vault/acl.go's list semantics. */
import {
  globbedStringsMatch,
  parseCommaStringSlice,
  valueInAllowedParameterList,
  valueInDeniedParameterList,
} from "../../../access/acl/glob";

describe("globbedStringsMatch", () => {
  // Transcribed from hashicorp/go-secure-stdlib strutil/strutil_test.go TestGlobbedStringsMatch.
  it.each([
    ["", "", true],
    ["*", "*", true],
    ["**", "**", true],
    ["*t", "t", true],
    ["*t", "test", true],
    ["t*", "test", true],
    ["*test", "test", true],
    ["*test", "a test", true],
    ["test", "a test", false],
    ["*test", "tests", false],
    ["test*", "test", true],
    ["test*", "testsss", true],
    ["test**", "testsss", false],
    ["test**", "test*", true],
    ["**test", "*test", true],
    ["TEST", "test", false],
    ["test", "test", true],
  ])("item %j against %j → %s", (item, val, expected) => {
    expect(globbedStringsMatch(item, val)).toBe(expected);
  });
});

describe("parameter lists", () => {
  it("reads a string as a trimmed comma-separated list (parseutil.ParseCommaStringSlice)", () => {
    expect(parseCommaStringSlice("a, b ,c")).toEqual(["a", "b", "c"]);
    expect(parseCommaStringSlice("")).toEqual([]);
  });

  it("allows an array or comma-string only when every element is allowed", () => {
    expect(valueInAllowedParameterList(["good", "good1"], ["good", "good1"])).toBe(true);
    expect(valueInAllowedParameterList(["good", "bad"], ["good", "good1"])).toBe(false);
    expect(valueInAllowedParameterList("good,good1", ["good", "good1"])).toBe(true);
    expect(valueInAllowedParameterList("good,bad", ["good", "good1"])).toBe(false);
  });

  it("denies an array or comma-string when any element is denied", () => {
    expect(valueInDeniedParameterList(["good", "bad"], ["bad"])).toBe(true);
    expect(valueInDeniedParameterList("good, bad", ["bad"])).toBe(true);
    expect(valueInDeniedParameterList("good", ["bad"])).toBe(false);
  });

  it("treats an empty list as any value", () => {
    expect(valueInAllowedParameterList({ any: 1 }, [])).toBe(true);
    expect(valueInDeniedParameterList(7, [])).toBe(true);
  });

  it("compares non-strings by type and structure, never by glob; a request number (json.Number) equals nothing", () => {
    expect(valueInAllowedParameterList(1, [1, 2])).toBe(false);
    expect(valueInAllowedParameterList(true, [true])).toBe(true);
    expect(valueInAllowedParameterList("1", [1, 2])).toBe(false);
    expect(valueInAllowedParameterList({ good: "one" }, [{ good: "one" }])).toBe(true);
    expect(valueInAllowedParameterList(true, ["*"])).toBe(false);
  });
});

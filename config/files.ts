/**
 * Reading the files a user points synth at (configs, policies, policy tests) without trusting their shape: a
 * directory, FIFO, socket or device where a file is expected, a dangling symlink, a symlink loop, unreadable or
 * non-UTF-8 bytes each become one problem naming the path, never an exception with a stack trace and never a hang
 * (a FIFO is recognised by stat and not opened).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, type Stats } from "node:fs";

/** What a path is when it is not a regular file, in words a person recognises. */
function kindOf(stats: Stats): string {
  if (stats.isFile()) return "a file";
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file or directory";
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** The reason a path could not be used, from the error's code; `what` names the expected thing ("a file"). */
function describeError(e: unknown, what: string): string {
  switch (errnoOf(e)) {
    case "ENOENT":
      return "does not exist";
    case "ELOOP":
      return "is a symlink loop (it resolves back to itself)";
    case "EACCES":
    case "EPERM":
      return "cannot be read (permission denied)";
    case "ENOTDIR":
      return `is not ${what}: a part of the path is a file`;
    default:
      return `cannot be read (${errnoOf(e) ?? (e as Error).message ?? String(e)})`;
  }
}

/**
 * Why `path` cannot be read as a regular file (a dangling symlink says where it points), or undefined when it can.
 * Only lstat/stat: nothing is opened.
 */
export function fileShapeProblem(path: string): string | undefined {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch (e) {
    return describeError(e, "a file");
  }
  let target: Stats;
  try {
    target = link.isSymbolicLink() ? statSync(path) : link;
  } catch (e) {
    if (errnoOf(e) === "ENOENT") {
      let to = "";
      try {
        to = ` to ${readlinkSync(path)}`;
      } catch {
        // the link vanished meanwhile: say only that it dangles
      }
      return `is a dangling symlink${to} (its target does not exist)`;
    }
    return describeError(e, "a file");
  }
  if (!target.isFile()) return `is ${kindOf(target)}, expected a file`;
  return undefined;
}

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    // Overlong, surrogate and above-U+10FFFF forms are invalid too; TextDecoder checks them below.
    i += n + 1;
  }
  return -1;
}

/** Line and column (1-based) of a byte offset. */
function lineColumn(bytes: Buffer, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * Reads a regular file as UTF-8 text; returns the text, or the problem (without the path) when it cannot. With
 * `limit`, a file larger than `limit.bytes` is refused from its size, before a byte is read.
 */
export function readTextFile(
  path: string,
  limit?: { readonly bytes: number; readonly what: string },
): { text: string; problem?: undefined } | { text?: undefined; problem: string } {
  const shape = fileShapeProblem(path);
  if (shape) return { problem: shape };
  let bytes: Buffer;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat above, open returns at once instead of hanging.
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) return { problem: `is ${kindOf(stats)}, expected a file` };
      if (limit && stats.size > limit.bytes) {
        return { problem: `is ${stats.size.toLocaleString("en-US")} bytes; ${limit.what} may hold at most ${limit.bytes.toLocaleString("en-US")} bytes (the supported scale: docs/scaling.md)` };
      }
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { problem: describeError(e, "a file") };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) return { problem: `is not UTF-8 text (invalid byte 0x${bytes[bad].toString(16)} at ${lineColumn(bytes, bad)})` };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text: text.startsWith("\uFEFF") ? text.slice(1) : text };
  } catch {
    return { problem: "is not UTF-8 text (an overlong or surrogate sequence)" };
  }
}

/** Whether anything (even a dangling link) is at `path`. */
export function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Lists a directory's entries, or returns why it cannot (missing, a file, a loop, unreadable). */
export function listDirectory(path: string): { entries: string[]; problem?: undefined } | { entries?: undefined; problem: string } {
  try {
    const stats = statSync(path);
    if (!stats.isDirectory()) return { problem: `is ${kindOf(stats)}, expected a directory` };
    return { entries: readdirSync(path).sort() };
  } catch (e) {
    if (errnoOf(e) === "ENOENT") {
      try {
        if (lstatSync(path).isSymbolicLink()) return { problem: "is a dangling symlink (its target does not exist)" };
      } catch {
        // not there at all
      }
    }
    return { problem: describeError(e, "a directory") };
  }
}

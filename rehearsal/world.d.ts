/** Types of rehearsal/world.js (plain CommonJS, shared with the stand-in executables). */
export interface LogEntry {
  readonly tool: string;
  /** The run id of the workflow run whose step called the stand-in ("" outside a run). */
  readonly run: string;
  readonly job: string;
  readonly zone: string;
  readonly [key: string]: unknown;
}
export function readLog(dir: string): LogEntry[];
export function reachable(zone: string, host: string): boolean;

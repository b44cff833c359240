/** Types of scripts/complete-lockfile.js (plain CommonJS, run with node after `npm install`). */
export interface Platform {
  readonly os: string[];
  readonly cpu: string[];
  readonly libc?: string[];
}

export interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly os?: string[];
  readonly cpu?: string[];
  readonly libc?: string[];
  readonly optionalDependencies?: Record<string, string>;
}

export interface Lock {
  packages: Record<string, LockEntry>;
}

export function platformOf(name: string): Platform | undefined;
export function platformBuilds(entry: LockEntry): string[];
export function completeLock(lock: Lock): { added: string[]; completed: string[] };

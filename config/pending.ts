/**
 * What an environment's config leaves out of the apply until someone provides it: a database connection whose CA
 * is `pending` (config/schema/examples.ts), with the roles that use it. The config stack omits them, synth prints
 * them and the platform manifest records them for the report.
 */
import { PENDING_CA } from "./schema/examples";
import type { EnvironmentConfig } from "./schema";

export interface PendingItem {
  /** What waits, e.g. `database connection phoenix-guardian-db`. */
  readonly item: string;
  /** The config field to set, e.g. `vault.database.connections[0].tlsCa`. */
  readonly field: string;
  /** What to put there. */
  readonly awaiting: string;
  /** What is left out of the stack with it. */
  readonly leftOut: readonly string[];
}

/** The database connections whose CA is pending, by name. */
export function pendingConnections(config: EnvironmentConfig): Set<string> {
  return new Set((config.vault.database?.connections ?? []).filter((c) => c.tlsCa === PENDING_CA).map((c) => c.name));
}

export function pendingItems(config: EnvironmentConfig): PendingItem[] {
  const db = config.vault.database;
  if (!db) return [];
  return db.connections.flatMap((c, i) =>
    c.tlsCa !== PENDING_CA
      ? []
      : [{
          item: `database connection ${c.name}`,
          field: `vault.database.connections[${i}].tlsCa`,
          awaiting: `the PEM CA certificate that signs ${c.host}'s server certificate`,
          leftOut: db.roles.filter((r) => r.connection === c.name).map((r) => `database role ${r.name}`),
        }],
  );
}

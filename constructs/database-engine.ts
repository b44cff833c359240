import { Token } from "cdktf";
import { Construct } from "constructs";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { DatabaseSecretBackendConnection } from "@cdktf/provider-vault/lib/database-secret-backend-connection";
import { DatabaseSecretBackendRole } from "@cdktf/provider-vault/lib/database-secret-backend-role";
import { durationSeconds } from "../config/format-rules";
import { pinAddress } from "./stable-address";

/** A PostgreSQL connection Vault logs in to as a root user to create dynamic users. */
export interface PostgresConnectionProps {
  /**
   * Stable id: the connection's Terraform address is built from it, so it never changes (docs/data-safety.md).
   * @default - the name
   */
  readonly id?: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The root user Vault logs in as. */
  readonly username: string;
  /** `require`, `verify-ca` or `verify-full`. */
  readonly sslMode: string;
  /**
   * PEM CA certificate(s) that verify the server (sent as `tls_ca`; public, not a secret).
   * @default - none: only valid with sslMode `require`
   */
  readonly tlsCa?: string;
  /** Check the connection when it is written (fails the apply on a wrong password or host). */
  readonly verifyConnection: boolean;
  /** Run by `database/rotate-root/<name>`, after which only Vault knows the root password. */
  readonly rootRotationStatements: readonly string[];
  /**
   * The root password: a reference to a sensitive, ephemeral stack variable, never a literal. It is sent
   * through the provider's write-only attribute, so it is kept in neither the plan nor the state.
   */
  readonly rootPassword: string;
  /** Bump to send the password again (write-only attributes are only sent when their version changes). */
  readonly rootPasswordVersion: number;
}

/** A role that creates short-lived database users on `<mount>/creds/<name>`. */
export interface DatabaseRoleProps {
  readonly name: string;
  /** Name of the connection the role uses. */
  readonly connection: string;
  readonly defaultTtl: string;
  readonly maxTtl: string;
  readonly creationStatements: readonly string[];
  readonly revocationStatements: readonly string[];
}

export interface DatabaseEngineProps {
  /** Mount path of the engine. */
  readonly path: string;
  readonly connections: readonly PostgresConnectionProps[];
  readonly roles: readonly DatabaseRoleProps[];
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

/** Renders `postgresql://{{username}}:{{password}}@host:port/db?sslmode=...`; Vault fills in the templates. */
export function postgresConnectionUrl(c: Pick<PostgresConnectionProps, "host" | "port" | "database" | "sslMode">): string {
  return `postgresql://{{username}}:{{password}}@${c.host}:${c.port}/${encodeURIComponent(c.database)}?sslmode=${c.sslMode}`;
}

/** The database secrets engine: PostgreSQL connections and the roles that issue dynamic credentials. */
export class DatabaseEngine extends Construct {
  /** The mount's path attribute. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: DatabaseEngineProps) {
    super(scope, id);
    for (const c of props.connections) {
      // A literal would land in cdk.tf.json; only an unresolved reference (a variable) is acceptable.
      if (!Token.isUnresolved(c.rootPassword)) {
        throw new Error(`DatabaseEngine: connection ${c.name}: rootPassword must be a reference to a sensitive variable, not a literal`);
      }
    }
    for (const c of props.connections) {
      // With verify-ca/verify-full and verify_connection Vault refuses to store a connection it cannot verify.
      if (c.sslMode !== "require" && !c.tlsCa) throw new Error(`DatabaseEngine: connection ${c.name}: sslMode ${c.sslMode} needs tlsCa (the server's CA)`);
    }
    const connectionNames = new Set(props.connections.map((c) => c.name));
    for (const r of props.roles) {
      if (!connectionNames.has(r.connection)) {
        throw new Error(`DatabaseEngine: role ${r.name} names connection ${r.connection}, which is not defined (have: ${[...connectionNames].join(", ")})`);
      }
    }

    const mount = new Mount(this, "mount", {
      path: props.path,
      type: "database",
      description: "Dynamic database credentials",
      defaultLeaseTtlSeconds: durationSeconds(props.ttls.defaultLeaseTtl),
      maxLeaseTtlSeconds: durationSeconds(props.ttls.maxLeaseTtl),
    });
    pinAddress(mount, id);
    this.path = mount.path;

    const connections = new Map<string, DatabaseSecretBackendConnection>();
    for (const c of props.connections) {
      const stable = c.id ?? c.name;
      const connection = new DatabaseSecretBackendConnection(this, stable, {
          backend: mount.path,
          name: c.name,
          allowedRoles: props.roles.filter((r) => r.connection === c.name).map((r) => r.name),
          verifyConnection: c.verifyConnection,
          rootRotationStatements: [...c.rootRotationStatements],
          postgresql: {
            connectionUrl: postgresConnectionUrl(c),
            tlsCa: c.tlsCa,
            username: c.username,
            passwordWo: c.rootPassword,
            passwordWoVersion: c.rootPasswordVersion,
          },
      });
      connections.set(c.name, pinAddress(connection, id, stable));
    }
    for (const r of props.roles) {
      new DatabaseSecretBackendRole(this, `role-${r.name}`, {
        backend: mount.path,
        name: r.name,
        dbName: connections.get(r.connection)!.name,
        defaultTtl: durationSeconds(r.defaultTtl),
        maxTtl: durationSeconds(r.maxTtl),
        creationStatements: [...r.creationStatements],
        revocationStatements: [...r.revocationStatements],
      });
    }
  }
}

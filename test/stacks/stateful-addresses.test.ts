/**
 * The addresses of the default configs' stateful resources are a contract: a changed address is a destroy and a
 * create. They are pinned by the committed stateful lock (config/<env>.stateful.json), so a code refactor or a
 * config edit that changes one fails here, and they are built from fixed names, never from the construct path.
 */
import { join } from "node:path";
import { TerraformResource, TerraformStack, Testing } from "cdktf";
import { statefulInventory } from "../../compliance/stateful-lock";
import { pendingConnections } from "../../config/pending";
import { isStatefulType, readStatefulLock } from "../../config/stateful";
import { addEnvironment } from "../../stacks/environment";
import { StackView } from "../../synthesized/stack-view";
import { ROOT, configFor, defaultPolicies, synthJson } from "../helpers";

describe.each(["dev", "prod"] as const)("stateful resources of the default %s config", (env) => {
  const config = configFor(env);
  let stacks: TerraformStack[];
  let views: StackView[];
  beforeAll(async () => {
    stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies()));
    views = stacks.map((s) => new StackView(s.node.id, synthJson(s)));
  }, 60_000);
  const stateful = () => views.flatMap((v) => v.all().filter((b) => isStatefulType(b.type)).map((b) => ({ stack: v, block: b })));

  it("keep every resource of the committed lock, with the attributes that would replace them", () => {
    // Additions (a newly onboarded mount) are recorded by synth itself; what the lock holds must be synthesized as is.
    const lock = readStatefulLock(join(ROOT, "config"), env);
    expect(lock.problems).toEqual([]);
    const current = statefulInventory(views);
    for (const [stack, resources] of Object.entries(lock.lock!)) {
      expect([stack, Object.fromEntries(Object.keys(resources).map((a) => [a, current[stack]?.[a]]))]).toEqual([stack, resources]);
    }
    expect(Object.keys(current).sort()).toEqual(Object.keys(lock.lock!).sort());
  });

  it("all synthesize with lifecycle.prevent_destroy = true", () => {
    expect(stateful().length).toBeGreaterThan(0);
    expect(stateful().filter(({ block }) => block.attributes.lifecycle?.prevent_destroy !== true).map(({ block }) => block.address)).toEqual([]);
  });

  it("have pinned addresses, not ones derived from the construct path, with a moved block from the derived one", () => {
    const resources = stacks.flatMap((s) =>
      s.node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && isStatefulType(c.terraformResourceType)).map((r) => ({ s, r })),
    );
    expect(resources.length).toBe(stateful().length);
    for (const { s, r } of resources) {
      const derived = `${r.terraformResourceType}.${s.getLogicalId(r)}`;
      const pinned = `${r.terraformResourceType}.${r.friendlyUniqueId}`;
      expect(pinned).not.toBe(derived);
      const moved = views.find((v) => v.id === s.node.id)!.json.moved as { from: string; to: string }[];
      expect(moved).toContainEqual({ from: derived, to: pinned });
    }
  });

  it("cover every secrets engine (the AWS one included), key, connection, auth mount, bucket and the namespace the config declares", () => {
    const addresses = new Set(stateful().map(({ block }) => block.address));
    const expected = [
      ...config.vault.kv.map((m) => `vault_mount.kv_${m.id ?? m.path}`),
      ...(config.vault.database
        ? [
            "vault_mount.database",
            // A connection whose CA is pending is not synthesized (config/pending.ts).
            ...config.vault.database.connections.filter((c) => !pendingConnections(config).has(c.name)).map((c) => `vault_database_secret_backend_connection.database_${c.id ?? c.name}`),
          ]
        : []),
      ...(config.vault.transit ? ["vault_mount.transit", ...config.vault.transit.keys.map((k) => `vault_transit_secret_backend_key.transit_${k.id ?? k.name}`)] : []),
      ...(config.vault.aws ? ["vault_aws_secret_backend.aws"] : []),
      ...(config.vault.pki ? ["vault_mount.pki_root", "vault_mount.pki_intermediate", "vault_pki_secret_backend_root_cert.pki_root-cert"] : []),
      "vault_auth_backend.auth-approle",
      "vault_auth_backend.auth-kubernetes",
      "vault_jwt_auth_backend.auth-jwt",
      ...(config.vault.auth.oidc ? ["vault_jwt_auth_backend.auth-oidc"] : []),
      ...[...config.applications, ...config.platform].filter((i) => i.auth.method === "approle").map((i) => `vault_approle_auth_backend_role.approle-role_${i.auth.role}`),
      "aws_kms_key.unseal-key",
      "aws_kms_key.backup-key",
      "aws_s3_bucket.snapshots",
      "aws_s3_bucket.logs",
      ...(config.backup.replication ? ["aws_kms_key.replica-key", "aws_s3_bucket.replica", "aws_s3_bucket.replica-logs"] : []),
      ...(config.backup.auditArchive ? ["aws_kms_key.audit-key", "aws_s3_bucket.audit-archive", "aws_s3_bucket.audit-archive-logs"] : []),
      "kubernetes_namespace_v1.namespace",
      "kubernetes_namespace_v1.plan-runner-namespace",
    ];
    expect([...addresses].sort()).toEqual([...expected].sort());
  });
});

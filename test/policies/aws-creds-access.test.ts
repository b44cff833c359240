/**
 * Who can mint AWS credentials, from the synthesized output (the access model) and the least-privilege check: each
 * `vault.aws` role's credentials (`<mount>/creds/<role>` and its `sts/` twin) are read by the identity that names it
 * in `awsRoles`, and by no other role; the owner reads no other role's credentials.
 */
import { Testing } from "cdktf";
import { leastPrivilegeProblems } from "../../access/least-privilege";
import { accessModel, roleAcl, type AccessModel } from "../../access/model";
import { grants, TESTED_CAPABILITIES } from "../../access/policy-tests";
import { parsePolicy } from "../../config/policies";
import { StackView } from "../../synthesized/stack-view";
import { addEnvironment } from "../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../helpers";

describe.each(["dev", "prod"] as const)("AWS credentials in %s", (env) => {
  const config = configFor(env);
  const mount = config.vault.aws!.path;
  let model: AccessModel;
  beforeAll(async () => {
    const stacks = addEnvironment(Testing.app(), config, await defaultPolicies());
    model = accessModel({ environment: env, stacks: [stacks.backup, stacks.cluster, stacks.vaultConfig].map((s) => new StackView(s.node.id, synthJson(s))) });
  });

  const owners = [...config.applications, ...config.platform].flatMap((id) => id.awsRoles.map((role) => ({ role, id })));
  const loginOf = (id: (typeof owners)[number]["id"]) => model.roles.find((r) => r.name === id.auth.role)!;

  it("lists the engine among the secrets mounts (escalation probes cover sys/mounts/<aws>)", () => {
    expect(model.mounts?.secrets).toContain(mount);
  });

  it("lets each owner read its own creds path and nothing else of the engine", () => {
    expect(owners.map((o) => o.id.name)).toContain("phoenix-guardian");
    for (const { role, id } of owners) {
      const acl = roleAcl(model, loginOf(id));
      expect(grants(acl, `${mount}/creds/${role}`, "read")).toBe(true);
      for (const other of [`${role}-other`, "another-tenant", ...config.vault.aws!.roles.map((r) => r.name).filter((r) => r !== role)]) {
        for (const c of TESTED_CAPABILITIES) expect([`${other}: ${c}`, grants(acl, `${mount}/creds/${other}`, c)]).toEqual([`${other}: ${c}`, false]);
      }
      for (const path of [`${mount}/config/root`, `${mount}/roles/${role}`]) expect(grants(acl, path, "update")).toBe(false);
    }
  });

  it("lets no other role mint an owner's credentials (platform-admin included)", () => {
    for (const { role, id } of owners) {
      for (const r of model.roles.filter((x) => x.name !== id.auth.role)) {
        const acl = roleAcl(model, r);
        for (const path of [`${mount}/creds/${role}`, `${mount}/sts/${role}`]) {
          expect([r.key, path, grants(acl, path, "read") || grants(acl, path, "update")]).toEqual([r.key, path, false]);
        }
      }
    }
  });

  it("fails the least-privilege check if another identity's policy reaches an owner's credentials", async () => {
    const policies = new Map(await defaultPolicies());
    const voicehive = policies.get("voicehive-connectors")!;
    policies.set("voicehive-connectors", await parsePolicy("voicehive-connectors", voicehive.file, `${voicehive.text}\npath "${mount}/+/*" { capabilities = ["update"] }\n`));
    const problems = leastPrivilegeProblems({ file: `config/${env}.yaml`, config }, policies).join("\n");
    for (const { role, id } of owners) {
      expect(problems).toMatch(new RegExp(`voicehive .* reaches ${id.name}'s owned path ${mount}/creds/${role} .*update on "${mount}/creds/${role}"`));
      expect(problems).toMatch(new RegExp(`reaches ${id.name}'s owned path ${mount}/sts/${role}`));
    }
  });
});

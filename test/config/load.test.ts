import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError, loadEnvironments, validateEnvironment } from "../../config/load";
import { durationSeconds } from "../../config/format-rules";
import { configFor, rawConfig } from "../helpers";
import { RULE_IDS } from "../../compliance/packs";

// The real policy names and rule ids, so the committed configs are checked against what synth checks.
const POLICIES = new Set(
  readdirSync(join(__dirname, "../../policies"))
    .filter((f) => f.endsWith(".hcl"))
    .map((f) => f.slice(0, -".hcl".length)),
);
const REFS = { policyNames: POLICIES, ruleIds: RULE_IDS };
const KNOWN_RULE = [...RULE_IDS][0];

/** Writes `config/<env>.yaml` (edited) into a fresh directory and loads that directory. */
function loadEdited(env: "dev" | "prod", edit: (raw: any) => void): () => unknown {
  const dir = mkdtempSync(join(tmpdir(), "vault-platform-config-"));
  const raw = rawConfig(env);
  edit(raw);
  writeFileSync(join(dir, `${env}.yaml`), stringify(raw));
  return () => loadEnvironments(dir, REFS);
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("config loading", () => {
  it("accepts the committed dev and prod configs and applies defaults", () => {
    const [dev, prod] = loadEnvironments(join(__dirname, "../../config"), REFS);
    expect(dev.config.environment).toBe("dev");
    expect(prod.config.environment).toBe("prod");
    expect(dev.config.cluster.chart).toEqual({ repository: "https://helm.releases.hashicorp.com", version: "0.34.1" });
    expect(dev.config.backup.retentionDays).toBe(30);
    expect(prod.config.cluster.replicas).toBe(5);
    expect(prod.config.stateBackend).toMatchObject({ type: "s3", keyPrefix: "vault-platform" });
  });

  it("fails if replicas is even, naming file, field, expectation and value", () => {
    expect(loadEdited("prod", (c) => (c.cluster.replicas = 4))).toThrow(
      /prod\.yaml: cluster\.replicas: must be an odd number from 3 to 7 \(got 4\)/,
    );
  });

  it("fails if replicas is out of range", () => {
    expect(loadEdited("dev", (c) => (c.cluster.replicas = 9))).toThrow(/cluster\.replicas: must be an odd number from 3 to 7 \(got 9\)/);
  });

  it("fails if a value has the wrong type", () => {
    expect(loadEdited("dev", (c) => (c.cluster.replicas = "three"))).toThrow(/cluster\.replicas: must be number \(got "three"\)/);
  });

  it("fails if a required field is missing", () => {
    expect(loadEdited("dev", (c) => delete c.backup.bucket)).toThrow(/backup\.bucket: is required \(expected string\)/);
  });

  it("fails if the audit volume size is not a quantity, with a config error rather than a crash in the rotation check", () => {
    expect(problemsOf(loadEdited("dev", (c) => (c.cluster.storage.auditSize = "0.0.0.0/0")))).toEqual([
      expect.stringMatching(/cluster\.storage\.auditSize: must be a memory or storage quantity such as 256Mi or 10Gi \(got "0\.0\.0\.0\/0"\)/),
    ]);
  });

  it("fails if a key is unknown (a typo does not pass silently)", () => {
    expect(loadEdited("dev", (c) => (c.cluster.replcas = 3))).toThrow(/cluster\.replcas: unknown key/);
  });

  it("fails if a duration is not Vault syntax", () => {
    expect(loadEdited("dev", (c) => (c.applications[0].auth.tokenTtl = "one hour"))).toThrow(
      /applications\[0\]\.auth\.tokenTtl: must be a Vault duration such as 30s, 15m, 1h, 720h or 1h30m \(got "one hour"\)/,
    );
  });

  it("fails if a token TTL exceeds its maximum", () => {
    expect(loadEdited("dev", (c) => (c.applications[0].auth.tokenTtl = "9h"))).toThrow(
      /applications\[0\]\.auth\.tokenTtl: must not exceed tokenMaxTtl \(8h\) \(got "9h"\)/,
    );
  });

  it("fails if a CIDR is malformed", () => {
    expect(loadEdited("dev", (c) => (c.applications[0].auth.tokenBoundCidrs = ["10.0.0.0/33"]))).toThrow(
      /tokenBoundCidrs\[0\]: must be an IPv4 CIDR block such as 10\.0\.0\.0\/16 \(got "10\.0\.0\.0\/33"\)/,
    );
  });

  it("fails if a DNS name is invalid", () => {
    expect(loadEdited("prod", (c) => (c.cluster.tls.hostnames = ["Vault_Example.com"]))).toThrow(
      /cluster\.tls\.hostnames\[0\]: must be a DNS name/,
    );
  });

  it("fails if a Kubernetes name is invalid", () => {
    expect(loadEdited("dev", (c) => (c.cluster.namespace = "Vault"))).toThrow(/cluster\.namespace: must be a Kubernetes name .* \(got "Vault"\)/);
  });

  it("fails if the bucket name breaks S3 naming rules", () => {
    expect(loadEdited("dev", (c) => (c.backup.bucket = "Raft_Snapshots"))).toThrow(/backup\.bucket: must be an S3 bucket name/);
    expect(loadEdited("dev", (c) => (c.backup.bucket = "192.168.1.10"))).toThrow(/backup\.bucket: must be an S3 bucket name/);
  });

  it("fails if the AWS region does not exist", () => {
    expect(loadEdited("dev", (c) => (c.aws.region = "europe-west"))).toThrow(/aws\.region: must be an AWS region such as eu-west-2 \(got "europe-west"\)/);
  });

  it("fails if a workflow role is in another account, a KMS key administrator, or not a role", () => {
    const problems = problemsOf(
      loadEdited("prod", (raw) => {
        raw.aws.workflowRoles.planRoleArn = "arn:aws:iam::999999999999:role/plan";
        raw.aws.workflowRoles.applyRoleArn = raw.backup.kmsAdminRoleArns[0];
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/prod.yaml: aws.workflowRoles.planRoleArn: must be a role in aws.accountId 222222222222/),
        expect.stringMatching(/prod.yaml: aws.workflowRoles.applyRoleArn: must not be a KMS key administrator/),
      ]),
    );
    expect(problemsOf(loadEdited("dev", (raw) => (raw.aws.workflowRoles.planRoleArn = "arn:aws:iam::111111111111:user/ci")))).toEqual([
      expect.stringMatching(/aws.workflowRoles.planRoleArn: must be an IAM role ARN/),
    ]);
  });

  it("fails if an ARN is malformed", () => {
    expect(loadEdited("dev", (c) => (c.backup.kmsAdminRoleArns = ["platform-admin"]))).toThrow(
      /backup\.kmsAdminRoleArns\[0\]: must be an AWS IAM ARN/,
    );
  });

  it("fails if two applications share a name", () => {
    expect(loadEdited("dev", (c) => (c.applications[1].name = c.applications[0].name))).toThrow(
      /applications\[1\]\.name: must be unique \(also used by applications\[0\]\) \(got "checktick"\)/,
    );
  });

  it("fails if an application names a policy without a file", () => {
    expect(loadEdited("dev", (c) => c.applications[0].policies.push("no-such-policy"))).toThrow(
      /applications\[0\]\.policies\[1\]: must name a policy file policies\/no-such-policy\.hcl/,
    );
  });

  it("fails if an application names a transit key that does not exist", () => {
    const have = configFor("dev").vault.transit!.keys.map((k) => k.name).join(", ");
    expect(loadEdited("dev", (c) => (c.applications[1].transitKeys = ["patient-dat"]))).toThrow(
      `applications[1].transitKeys[0]: must name a transit key in vault.transit.keys (have: ${have})`,
    );
  });

  it("fails if an application names a database role that does not exist", () => {
    expect(loadEdited("dev", (c) => (c.applications[1].databaseRoles = ["admin-role"]))).toThrow(
      /applications\[1\]\.databaseRoles\[0\]: must name a database role in vault\.database\.roles/,
    );
  });

  it("fails if a database role names an unknown connection", () => {
    expect(loadEdited("dev", (c) => (c.vault.database.roles[0].connection = "other-db"))).toThrow(
      /vault\.database\.roles\[0\]\.connection: must name a connection/,
    );
  });

  it("fails if a Kubernetes role binds the default service account", () => {
    expect(loadEdited("dev", (c) => (c.applications[1].auth.serviceAccounts = ["default"]))).toThrow(
      /applications\[1\]\.auth\.serviceAccounts\[0\]: must name a dedicated service account, not default/,
    );
  });

  it("fails if fewer than two audit devices are configured", () => {
    expect(loadEdited("dev", (c) => c.vault.audit.pop())).toThrow(/vault\.audit: must list at least two audit devices/);
  });

  it("fails if SSE-S3 is chosen without a reason", () => {
    expect(loadEdited("dev", (c) => (c.backup.encryption = "aes256"))).toThrow(
      /backup\.encryptionReason: must explain why SSE-S3 \(aes256\) is chosen over SSE-KMS/,
    );
  });

  it("fails if the TLS source is unknown", () => {
    expect(loadEdited("dev", (c) => (c.cluster.tls.source = "self-signed"))).toThrow(/cluster\.tls\.source: .*\(got "self-signed"\)/);
  });

  it("fails if a suppression names an unknown rule", () => {
    expect(
      loadEdited("dev", (c) => (c.compliance.suppressions = [{ rule: "VLT-XXX-999", resource: "x", reason: "long enough reason", owner: "platform-team", expires: "2099-12-31" }])),
    ).toThrow(/compliance\.suppressions\[0\]\.rule: must be a known rule id \(got "VLT-XXX-999"\)/);
  });

  it("fails if a suppression has a too short reason", () => {
    expect(loadEdited("dev", (c) => (c.compliance.suppressions = [{ rule: KNOWN_RULE, resource: "x", reason: "because" }]))).toThrow(
      /compliance\.suppressions\[0\]\.reason: must give a reason of at least 10 characters/,
    );
  });

  it("fails if a suppression has no owner or no expiry date", () => {
    const problems = problemsOf(
      loadEdited("dev", (c) => (c.compliance.suppressions = [{ rule: KNOWN_RULE, resource: "x", reason: "long enough reason" }])),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/dev\.yaml: compliance\.suppressions\[0\]\.owner: is required/),
        expect.stringMatching(/dev\.yaml: compliance\.suppressions\[0\]\.expires: is required/),
      ]),
    );
  });

  it("fails if a suppression's expiry is not a calendar date or its owner is blank", () => {
    const problems = problemsOf(
      loadEdited("dev", (c) => {
        c.compliance.suppressions[0].expires = "2027-02-30";
        c.compliance.suppressions[0].owner = " ";
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/compliance\.suppressions\[0\]\.expires: must be a date written YYYY-MM-DD.*\(got "2027-02-30"\)/),
        expect.stringMatching(/compliance\.suppressions\[0\]\.owner: must name who owns the exception/),
      ]),
    );
  });

  it("fails if a suppression's approver is its owner (someone else accepts the exception)", () => {
    const problems = problemsOf(
      loadEdited("dev", (c) => {
        c.compliance.suppressions[0].approver = c.compliance.suppressions[0].owner;
      }),
    );
    expect(problems).toEqual([expect.stringMatching(/dev\.yaml: compliance\.suppressions\[0\]\.approver: approver must not be the owner/)]);
  });

  it("derives a platform identity's namespace from cluster.namespace, and refuses a copy of it or an application without one", () => {
    const problems = problemsOf(
      loadEdited("dev", (c) => {
        const snapshot = c.platform.find((i: any) => i.auth.method === "kubernetes" && i.auth.namespaces === undefined);
        snapshot.auth.namespaces = [c.cluster.namespace];
        delete c.applications.find((i: any) => i.auth.method === "kubernetes").auth.namespaces;
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/dev\.yaml: applications\[\d+\]\.auth\.namespaces: is required for applications \(only platform identities default to cluster\.namespace\)/),
      expect.stringMatching(/dev\.yaml: platform\[\d+\]\.auth\.namespaces\[0\]: must be omitted for Vault's own namespace: it is derived from cluster\.namespace.*\(got "vault"\)/),
    ]);
  });

  describe("deliberate destructions", () => {
    const entry = { resource: "vault_mount.kv_voicehive", reason: "emptied and retired (OPS-77)", owner: "platform-team", expires: "2099-12-31" };

    it("accepts a stateful address with reason, owner and expiry", () => {
      expect(loadEdited("dev", (c) => (c.compliance.destructions = [entry]))()).toHaveLength(1);
    });

    it("fails if the address is not a stateful resource, is repeated, or has a short reason, naming the fields", () => {
      const problems = problemsOf(
        loadEdited("dev", (c) => (c.compliance.destructions = [{ ...entry, resource: "vault_policy.app" }, entry, entry])),
      );
      expect(problemsOf(loadEdited("dev", (c) => (c.compliance.destructions = [{ ...entry, reason: "because" }])))).toEqual([
        expect.stringMatching(/dev\.yaml: compliance\.destructions\[0\]\.reason: must give a reason of at least 10 characters/),
      ]);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/dev\.yaml: compliance\.destructions\[0\]\.resource: must be a stateful resource \(.*vault_mount.*\); other resources need no entry to be destroyed \(got "vault_policy\.app"\)/),
          expect.stringMatching(/dev\.yaml: compliance\.destructions\[2\]\.resource: must be unique \(got "vault_mount\.kv_voicehive"\)/),
        ]),
      );
    });

    it("fails once expired: the entry must be removed after the change is applied", () => {
      expect(loadEdited("dev", (c) => (c.compliance.destructions = [{ ...entry, expires: "2020-01-01" }]))).toThrow(
        /compliance\.destructions\[0\]\.expires: the destruction of vault_mount\.kv_voicehive expired on 2020-01-01 .*must remove the entry/,
      );
    });
  });

  it("fails if two KV mounts, connections or transit keys share a stable id", () => {
    const problems = problemsOf(
      loadEdited("dev", (c) => {
        c.vault.kv[1].id = "secret";
        c.vault.transit.keys[1].id = c.vault.transit.keys[0].name;
        c.vault.kv[2].id = "Not_An_Id";
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/dev\.yaml: vault\.kv\[1\]\.id: must be unique: entry 0 has the same stable id .*\(got "secret"\)/),
        expect.stringMatching(/dev\.yaml: vault\.transit\.keys\[1\]\.id: must be unique: entry 0 .*\(got "patient-data"\)/),
        expect.stringMatching(/dev\.yaml: vault\.kv\[2\]\.id: must be a stable id/),
      ]),
    );
  });

  describe("suppression expiry", () => {
    const suppression = (rawConfig("prod") as any).compliance.suppressions[0];
    const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const loadOn = (today: string) => () => loadEnvironments(join(__dirname, "../../config"), { ...REFS, today });

    it("holds through its expiry day", () => {
      expect(loadOn(suppression.expires)()).toHaveLength(2);
    });

    it("fails the day after, naming file, field, rule, resource and owner", () => {
      const today = dayAfter(suppression.expires);
      expect(loadOn(today)).toThrow(
        `config/prod.yaml: compliance.suppressions[0].expires: ${suppression.rule} on ${suppression.resource} expired on ${suppression.expires} ` +
          `(today is ${today}); its owner (${suppression.owner}) must renew it`,
      );
    });
  });

  it("fails if the environment does not match the file name", () => {
    expect(loadEdited("dev", (c) => (c.environment = "staging"))).toThrow(/dev\.yaml: environment: must match the file name "dev" \(got "staging"\)/);
  });

  it("fails if the YAML is not well-formed, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "vault-platform-config-"));
    writeFileSync(join(dir, "dev.yaml"), "environment: dev\ncluster: [unclosed\n");
    expect(() => loadEnvironments(dir, REFS)).toThrow(/dev\.yaml: YAML syntax:/);
  });

  it("reports every problem at once, type errors and broken references together", () => {
    const problems = problemsOf(
      loadEdited("prod", (c) => {
        c.cluster.replicas = 4;
        c.backup.bucket = "Bad_Bucket";
        c.cluster.namespce = "vault";
        c.applications[1].transitKeys = ["patient-dat"];
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/prod\.yaml: cluster\.replicas: must be an odd number/),
        expect.stringMatching(/prod\.yaml: backup\.bucket: must be an S3 bucket name/),
        expect.stringMatching(/prod\.yaml: cluster\.namespce: unknown key/),
        expect.stringMatching(/prod\.yaml: applications\[1\]\.transitKeys\[0\]: must name a transit key/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it("fails if the directory holds no config", () => {
    const dir = mkdtempSync(join(tmpdir(), "vault-platform-config-"));
    expect(() => loadEnvironments(dir, REFS)).toThrow(/no <env>\.yaml file found/);
  });
});

describe("validateEnvironment", () => {
  it("returns the typed config for a valid document", () => {
    const { config, problems } = validateEnvironment(rawConfig("dev"));
    expect(problems).toEqual([]);
    expect(config?.vault.audit.map((a) => a.path)).toEqual(["file", "stdout"]);
  });
});

describe("durationSeconds", () => {
  it.each([
    ["30s", 30],
    ["15m", 900],
    ["1h", 3600],
    ["720h", 2592000],
    ["1h30m", 5400],
    ["90d", 7776000],
  ])("reads %s as %i seconds", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it("expands {{config.*}} variables in ownedPaths and managesPaths", () => {
    const config = configFor("dev");
    const envs = config.vault.policyVariables.config_service_environments;
    const service = config.applications.find((a) => a.name === "config-service")!;
    expect(service.ownedPaths).toEqual(expect.arrayContaining(envs.map((e) => `secret/data/${e}/`)));
    const ci = config.platform.find((p) => p.name === "terraform-ci")!;
    expect(ci.managesPaths).toEqual(expect.arrayContaining(config.vault.kv.map((m) => `${m.path}/config`)));
    expect(JSON.stringify([...config.applications, ...config.platform])).not.toContain("{{config.");
  });

  it("fails if an identity path names an unknown policy variable", () => {
    expect(loadEdited("dev", (c) => c.applications[2].ownedPaths.push("secret/data/{{config.enviroments}}/"))).toThrow(
      /applications\[2\]\.ownedPaths\[\d+\]: \{\{config\.enviroments\}\} is not a policy variable \(known: kv_mounts, /,
    );
  });

  it("fails if a policy variable shadows a built-in one", () => {
    expect(loadEdited("dev", (c) => (c.vault.policyVariables.kv_mounts = ["x"]))).toThrow(/vault\.policyVariables\.kv_mounts: must not be a built-in policy variable/);
  });

  it("fails if an application's managesPaths claims another application's ownedPaths", () => {
    expect(loadEdited("dev", (c) => (c.applications[2].managesPaths = ["secret/data/platform/"]))).toThrow(
      /applications\[2\]\.managesPaths: must not claim "secret\/data\/platform\/", which overlaps checktick's ownedPaths entry "secret\/data\/platform\/" \(applications\[0\]\)/,
    );
    expect(loadEdited("dev", (c) => (c.applications[2].managesPaths = ["secret/"]))).toThrow(/must not claim "secret\/", which overlaps checktick's/);
  });
});

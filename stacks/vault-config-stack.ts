import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { durationSeconds } from "../config/format-rules";
import { pendingConnections } from "../config/pending";
import { policiesFor, type PolicySet } from "../config/policies";
import type { EnvironmentConfig, Identity } from "../config/schema";
import { ApplicationIdentity, type AuthMountHandles } from "../constructs/application-identity";
import { AppRoleAuth } from "../constructs/approle-auth";
import { AuditDevices } from "../constructs/audit-devices";
import { AwsSecretsEngine } from "../constructs/aws-secrets-engine";
import { DatabaseEngine } from "../constructs/database-engine";
import { JwtAuth } from "../constructs/jwt-auth";
import { KubernetesAuth } from "../constructs/kubernetes-auth";
import { KvMounts } from "../constructs/kv-mounts";
import { LoginRateLimits } from "../constructs/login-rate-limits";
import { OidcAuth } from "../constructs/oidc-auth";
import { PkiEngine } from "../constructs/pki-engine";
import { RaftAutopilot } from "../constructs/raft-autopilot";
import { RestoreDrillCanary } from "../constructs/restore-drill-canary";
import { TransitEngine } from "../constructs/transit-engine";
import { VaultPolicies } from "../constructs/vault-policies";
import { configureBackend } from "./backend";
import { protectStatefulResources } from "./stateful-protection";
import type { ClusterHandles } from "./vault-cluster-stack";

export interface VaultConfigStackProps {
  readonly config: EnvironmentConfig;
  readonly cluster: ClusterHandles;
  /** Parsed `policies/*.hcl`; their `{{config.*}}` variables are expanded from `config`. */
  readonly policies: PolicySet;
}

/** The policy CI's login role must carry; the stack finds the identity that has it. */
export const CI_POLICY = "terraform-ci";

/**
 * `vault-config-<env>`: configures a running Vault: secrets engines, auth methods, policies, audit devices,
 * autopilot and the applications. The token comes from VAULT_TOKEN (bootstrap) or the CI JWT login, never from
 * the synthesized JSON.
 *
 * Login. With an `auth_login_*` block the provider always logs in and drops VAULT_TOKEN, so a static block would
 * make the bootstrap run (when the JWT role does not exist yet) impossible. The block is therefore dynamic on
 * the `vault_login` variable: `jwt` (default) logs in as the CI role with the GitHub OIDC token taken by the
 * provider from TERRAFORM_VAULT_AUTH_JWT; `token` (bootstrap only) uses VAULT_TOKEN.
 *
 * Child token (skip_child_token = false): the provider works with a 20-minute, non-renewable child of the login
 * token, so a token that leaks from a run dies with it, even during bootstrap where the parent is the root token.
 * The cost is `auth/token/create` in the terraform-ci policy.
 */
export class VaultConfigStack extends TerraformStack {
  /** Names of the auth roles created, as `<method>/<role>`. */
  public readonly logins: readonly string[];

  constructor(scope: Construct, id: string, props: VaultConfigStackProps) {
    super(scope, id);
    const { config, cluster } = props;
    const vault = config.vault;
    configureBackend(this, id, config.stateBackend);

    const ciLogin = ciIdentity(config);
    const login = new TerraformVariable(this, "vault_login", {
      type: "string",
      default: "jwt",
      description:
        "How the provider authenticates: jwt (CI, the GitHub OIDC token in TERRAFORM_VAULT_AUTH_JWT) or token (bootstrap only, VAULT_TOKEN).",
      validation: [{ condition: '${contains(["jwt", "token"], var.vault_login)}', errorMessage: "vault_login must be jwt or token." }],
    });
    // Both set in the block on purpose: the provider takes VAULT_ADDR and VAULT_CACERT only when `address` and
    // `ca_cert_file` are empty, so a value here cannot be redirected by a runner's environment.
    const endpoint = vaultEndpointVariables(this, cluster.vaultAddress, config.cluster.deployRunner.caCertFile);
    const provider = new VaultProvider(this, "vault", {
      address: endpoint.address.stringValue,
      caCertFile: endpoint.caCertFile.stringValue,
      skipChildToken: false,
      maxLeaseTtlSeconds: 1200,
    });
    provider.addOverride("dynamic.auth_login_jwt", [
      {
        for_each: `\${${login.fqn} == "jwt" ? ["${ciLogin.auth.role}"] : []}`,
        content: { mount: vault.auth.jwt.path, role: "${auth_login_jwt.value}" },
      },
    ]);

    const policies = new VaultPolicies(this, "policies", {
      policies: policiesFor(props.policies, config),
      attached: [...config.applications, ...config.platform].flatMap((i) => i.policies),
    });

    const kvMounts = new KvMounts(this, "kv", { mounts: vault.kv });

    if (vault.database) {
      const version = new TerraformVariable(this, "database_root_password_version", {
        type: "number",
        default: 1,
        description: "Increase to send the database root passwords again (write-only attributes are sent only when this changes).",
      });
      // A connection whose CA is pending waits, with its roles, until the CA is in config (config/pending.ts).
      const pending = pendingConnections(config);
      new DatabaseEngine(this, "database", {
        path: vault.database.path,
        ttls: vault.database.ttls,
        roles: vault.database.roles.filter((r) => !pending.has(r.connection)),
        connections: vault.database.connections.filter((c) => !pending.has(c.name)).map((c) => ({
          ...c,
          rootPassword: rootPasswordVariable(this, c.name).stringValue,
          rootPasswordVersion: version.numberValue,
        })),
      });
    }
    if (vault.transit) new TransitEngine(this, "transit", vault.transit);
    if (vault.pki) new PkiEngine(this, "pki", { ...vault.pki, vaultAddress: cluster.vaultAddress });
    if (vault.aws) new AwsSecretsEngine(this, "aws", { ...vault.aws, region: vault.aws.region ?? config.aws.region });

    const kubernetes = new KubernetesAuth(this, "auth-kubernetes", vault.auth.kubernetes);
    const approle = new AppRoleAuth(this, "auth-approle", vault.auth.approle);
    const jwt = new JwtAuth(this, "auth-jwt", vault.auth.jwt);
    const oidcConfig = vault.auth.oidc;
    let oidc: AuthMountHandles["oidc"];
    if (oidcConfig) {
      // Needed only when the mount is created (bootstrap); null on every later plan, where the mount ignores it.
      const secret = new TerraformVariable(this, "oidc_client_secret", {
        type: "string",
        sensitive: true,
        nullable: true,
        description: `Client secret of the OIDC client ${oidcConfig.clientId} at ${oidcConfig.discoveryUrl} (TF_VAR_oidc_client_secret), at bootstrap only; later changes are ignored (rotate with the runbook).`,
      });
      secret.addOverride("default", null); // cdktf cannot render a null default itself
      const mount = new OidcAuth(this, "auth-oidc", { ...oidcConfig, clientSecret: secret.stringValue });
      oidc = { ...oidcConfig, path: mount.path };
    }
    const authMounts: AuthMountHandles = { kubernetes: kubernetes.path, approle: approle.path, jwt: jwt.path, oidc };
    new LoginRateLimits(this, "login-rate-limits", {
      mounts: [
        { mount: vault.auth.kubernetes.path, path: kubernetes.path, type: "kubernetes" },
        { mount: vault.auth.approle.path, path: approle.path, type: "approle" },
        { mount: vault.auth.jwt.path, path: jwt.path, type: "jwt" },
        ...(oidcConfig && oidc ? [{ mount: oidcConfig.path, path: oidc.path, type: "oidc" as const }] : []),
      ],
      rate: vault.loginRateLimit.rate,
      intervalSeconds: durationSeconds(vault.loginRateLimit.interval),
      blockIntervalSeconds: durationSeconds(vault.loginRateLimit.blockInterval),
    });

    const logins: string[] = [];
    for (const identity of [...config.applications, ...config.platform]) {
      const idc = new ApplicationIdentity(this, `identity-${identity.name}`, {
        identity,
        authMounts,
        policies: policies.handles(identity.policies),
        vaultNamespace: config.cluster.namespace,
      });
      logins.push(idc.login);
    }
    this.logins = logins;

    const canary = vault.restoreDrill.canary;
    new RestoreDrillCanary(this, "restore-drill-canary", { ...canary, mount: kvMounts.paths.get(canary.mount) ?? canary.mount });

    new AuditDevices(this, "audit", { devices: vault.audit });
    new RaftAutopilot(this, "autopilot", { ...vault.autopilot, voters: config.cluster.replicas });
    // Last: every resource of the stack exists now.
    protectStatefulResources(this, config.compliance.destructions);
  }
}

/** The loopback address `kubectl port-forward` serves on; on Vault's certificate as an IP address. */
export const PORT_FORWARD_ADDRESS = "https://127.0.0.1:8200";

/**
 * Where the provider reaches Vault. By default the active node's in-cluster service with the CA the deploy runner
 * mounts, which is what CI uses. The bootstrap run (before CI can log in) comes from a workstation through
 * `kubectl port-forward`, so the address may also be the loopback one, and nothing else: both are names on Vault's
 * certificate, so TLS verification holds either way.
 */
function vaultEndpointVariables(scope: Construct, inCluster: string, caCertFile: string) {
  const allowed = [inCluster, PORT_FORWARD_ADDRESS];
  const address = new TerraformVariable(scope, "vault_address", {
    type: "string",
    default: inCluster,
    nullable: false,
    description: `Vault API address: ${inCluster} (the in-cluster deploy runner) or ${PORT_FORWARD_ADDRESS} (kubectl port-forward, bootstrap only).`,
    validation: [
      {
        condition: `\${contains(${JSON.stringify(allowed)}, var.vault_address)}`,
        errorMessage: `vault_address must be ${allowed.join(" or ")}: the names on Vault's certificate that reach the active node.`,
      },
    ],
  });
  const ca = new TerraformVariable(scope, "vault_ca_cert_file", {
    type: "string",
    default: caCertFile,
    nullable: false,
    description: "File with Vault's CA certificate (the vault-ca ConfigMap's ca.crt as the deploy runner mounts it).",
  });
  return { address, caCertFile: ca };
}

/**
 * The database root password: sensitive (redacted in output) and ephemeral (Terraform keeps it in neither plan
 * nor state; it may only feed write-only attributes). Set it with TF_VAR_database_root_password_<connection>.
 */
function rootPasswordVariable(scope: Construct, connection: string): TerraformVariable {
  const v = new TerraformVariable(scope, `database_root_password_${connection.replace(/-/g, "_")}`, {
    type: "string",
    sensitive: true,
    nullable: false,
    description: `Initial root password of database connection ${connection}; rotate it with database/rotate-root/${connection} after the first apply.`,
  });
  // cdktf 0.21 predates ephemeral variables (Terraform 1.10).
  v.addOverride("ephemeral", true);
  return v;
}

/** The JWT identity carrying the CI policy: the provider logs in as it after bootstrap. */
function ciIdentity(config: EnvironmentConfig): Identity & { auth: { method: "jwt" } } {
  const ci = config.platform.find((i) => i.auth.method === "jwt" && i.policies.includes(CI_POLICY));
  if (!ci || ci.auth.method !== "jwt") {
    throw new Error(
      `VaultConfigStack ${config.environment}: platform must include a jwt identity with the ${CI_POLICY} policy (CI logs in through it once the root token is revoked)`,
    );
  }
  return ci as Identity & { auth: { method: "jwt" } };
}

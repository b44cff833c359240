/** The `cluster` section: the Vault release on Kubernetes, its TLS, network reach and monitoring. */
import { z } from "zod";
import { arn, cidr, cpuQuantity, dnsName, duration, httpsUrl, k8sName, memoryQuantity, semver } from "../formats";
import { quantityBytes } from "../format-rules";

const resources = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});

/** Where Vault's TLS certificate comes from. */
const tls = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("cert-manager"),
    /** The cert-manager issuer that signs Vault's certificate. */
    issuer: z.strictObject({ kind: z.enum(["Issuer", "ClusterIssuer"]), name: k8sName }),
    /** Name of the Secret cert-manager writes (tls.crt, tls.key, ca.crt). */
    secretName: k8sName.default("vault-tls"),
    minVersion: z.enum(["tls12", "tls13"]).default("tls12"),
    /** Extra DNS names on the certificate (an external hostname, for example). */
    hostnames: z.array(dnsName).default([]),
    /** Certificate lifetime and renewal window, Go durations as cert-manager takes them. */
    duration: duration.default("2160h"),
    renewBefore: duration.default("360h"),
  }),
  z.strictObject({
    source: z.literal("secret"),
    /** An existing Secret with tls.crt, tls.key and ca.crt, managed outside this app. */
    secretName: k8sName,
    minVersion: z.enum(["tls12", "tls13"]).default("tls12"),
    hostnames: z.array(dnsName).default([]),
  }),
]);

/** An in-cluster GitHub Actions runner scale set that talks to Vault (cluster.deployRunner, cluster.planRunner). */
const runnerScaleSet = z.strictObject({
  /** Namespace of the scale set's runner pods (dedicated to this scale set: the whole namespace reaches Vault). */
  namespace: k8sName,
  /** The scale set's name: the workflows' `runs-on`. */
  runsOn: k8sName,
  /**
   * Where the runner pods mount Vault's CA (the `vault-ca` ConfigMap, key `ca.crt`): the provider's `ca_cert_file`.
   * @default "/etc/vault-ca/ca.crt"
   */
  caCertFile: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]+$/, { message: "must be an absolute file path such as /etc/vault-ca/ca.crt" })
    .default("/etc/vault-ca/ca.crt"),
});

export const cluster = z.strictObject({
  /** Kubernetes namespace of Vault, created by the cluster stack. */
  namespace: k8sName.default("vault"),
  /** Raft voters: an odd number from 3 to 7 keeps a quorum through (replicas - 1) / 2 failures. */
  replicas: z
    .number()
    .int()
    .refine((n) => n >= 3 && n <= 7 && n % 2 === 1, { message: "must be an odd number from 3 to 7" })
    .meta({ enum: [3, 5, 7] }),
  chart: z
    .strictObject({
      repository: httpsUrl.default("https://helm.releases.hashicorp.com"),
      version: semver.default("0.34.1"),
    })
    .prefault({}),
  image: z
    .strictObject({
      repository: z.string().min(1).default("hashicorp/vault"),
      tag: semver.default("2.0.4"),
    })
    .prefault({}),
  resources,
  storage: z
    .strictObject({
      storageClass: k8sName,
      dataSize: memoryQuantity.default("10Gi"),
      auditSize: memoryQuantity.default("10Gi"),
      /**
       * Rotation of the file audit log by the vault-reloader sidecar: rename at maxFileSize, SIGHUP, keep the newest
       * `keep` rotated files. (keep + 1) x maxFileSize must fit in 80% of auditSize, so the log cannot fill the volume.
       */
      auditRotation: z
        .strictObject({
          maxFileSize: memoryQuantity.default("1Gi"),
          keep: z.number().int().min(1).max(100).default(5),
        })
        .prefault({}),
    })
    .superRefine((s, ctx) => {
      // zod runs this refinement even when a quantity failed its own format (reported there): skip it then.
      if (![s.auditSize, s.auditRotation.maxFileSize].every((q) => /^\d+(Ki|Mi|Gi|Ti)$/.test(q))) return;
      const budget = 0.8 * quantityBytes(s.auditSize);
      const worst = (s.auditRotation.keep + 1) * quantityBytes(s.auditRotation.maxFileSize);
      if (worst > budget) {
        ctx.addIssue({
          code: "custom",
          path: ["auditRotation", "keep"],
          input: s.auditRotation.keep,
          message: `keeps up to (keep + 1) x maxFileSize = ${worst / 1024 ** 3} GiB of audit log, more than 80% of auditSize ${s.auditSize}: lower keep or maxFileSize, or grow auditSize`,
        });
      }
    }),
  tls,
  /** Namespaces whose pods may reach Vault's API on 8200 (the network policy's allow list). */
  allowedNamespaces: z.array(k8sName).min(1, { message: "must list at least one namespace allowed to reach Vault" }),
  /** The Vault web UI: off unless enabled, and then only on a ClusterIP service. */
  ui: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
  injector: z
    .strictObject({
      enabled: z.boolean().default(true),
      replicas: z.number().int().min(2, { message: "must be at least 2 so the injector webhook survives a node loss" }).default(2),
    })
    .prefault({}),
  /** The EKS cluster's OIDC identity provider, which IRSA roles trust. */
  oidcProvider: z.strictObject({
    arn: arn("iam"),
    /** Issuer host and path without scheme, e.g. oidc.eks.eu-west-2.amazonaws.com/id/ABC. */
    issuer: z.string().regex(/^[a-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/, {
      message: "must be the OIDC issuer without https://, e.g. oidc.eks.eu-west-2.amazonaws.com/id/EXAMPLE",
    }),
  }),
  /**
   * Vault's CA published into every tenant namespace as a ConfigMap, by a trust-manager `Bundle`: to the
   * Kubernetes namespaces of `applications` plus `extraNamespaces` (see `config/ca-namespaces.ts`).
   */
  caPublication: z.strictObject({
    /** Name of the Bundle and of the ConfigMap trust-manager writes into each namespace. */
    configMapName: k8sName.default("vault-ca"),
    /** trust-manager's trust namespace (its --trust-namespace): the only namespace a Bundle may read sources from. */
    trustNamespace: k8sName.default("cert-manager"),
    /**
     * The CA that signs Vault's certificate, as a Secret key in the trust namespace: for a cert-manager CA
     * issuer, the issuer's own secret (`ca.crt`, or `tls.crt` of a self-signed root).
     */
    source: z.strictObject({
      secret: k8sName,
      key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { message: "must be a Secret data key such as ca.crt" }).default("ca.crt"),
    }),
    /** Namespaces that need the CA but hold no Kubernetes-auth application (AppRole clients, CI runners). */
    extraNamespaces: z.array(k8sName).default([]),
  }),
  /** The vault-reloader sidecar: SIGHUP to Vault on a renewed certificate, audit log rotation (constructs/vault-reloader.ts). */
  reloader: z
    .strictObject({
      /** Seconds between checks of the mounted certificate and the audit log size. */
      intervalSeconds: z.number().int().min(5).max(300).default(30),
      resources: resources.default({ requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } }),
    })
    .prefault({}),
  /**
   * Where the vault-config stack is applied from: a GitHub Actions runner scale set (actions-runner-controller)
   * inside this cluster, provided by the platform team. Vault is not exposed outside the cluster; the network policy
   * admits this namespace on 8200. Its runner group serves only the main-branch workflows (deploy, rotation, restore
   * drill), so no pull request runs on it (docs/security.md).
   */
  deployRunner: runnerScaleSet,
  /**
   * Where vault-config is planned from (pull requests, drift): a second scale set that never applies. Its namespace
   * is admitted to Vault's API only, is created by vault-cluster with Pod Security `restricted` (no privilege
   * escalation: the runner image's sudo cannot elevate), and its jobs log in only as the plan-only role.
   */
  planRunner: runnerScaleSet,
  monitoring: z
    .strictObject({
      /** Scrape Vault and evaluate the alert rules; on in every environment unless switched off. */
      enabled: z.boolean().default(true),
      /** Alert when failed logins (login requests that issued no token) exceed this many a minute. */
      authFailuresPerMinute: z.number().int().positive().default(5),
      /** Alert when Vault issues more tokens than this a minute (all auth methods and child tokens). */
      tokenCreationPerMinute: z.number().int().positive().default(120),
      /** Alert when the p99 request latency is above this many milliseconds. */
      latencyP99Ms: z.number().int().positive().default(500),
      /** Namespace of the Prometheus that scrapes Vault; the network policy lets it reach 8200. */
      prometheusNamespace: k8sName.default("monitoring"),
      /** The Grafana dashboard's ConfigMap (constructs/vault-dashboard.ts). */
      dashboard: z
        .strictObject({
          /** Labels Grafana's dashboard sidecar selects ConfigMaps by. */
          labels: z
            .record(
              z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { message: "must be a Kubernetes label key (no prefix)" }),
              z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, { message: "must be a Kubernetes label value" }),
            )
            .default({ grafana_dashboard: "1" }),
          /** Namespace the sidecar watches. @default - prometheusNamespace (kube-prometheus-stack's Grafana) */
          namespace: k8sName.optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * The restore drill's scratch Vault (docs/restore-drill.md): its own namespace, whose network policy denies all
   * egress except DNS, 443 outside private networks (AWS KMS and STS to unseal, S3), the listed private endpoints on
   * 443, and its own pods; so a lease restored from production cannot reach a tenant's database.
   */
  restoreDrill: z
    .strictObject({
      /** The scratch namespace (never Vault's own). */
      namespace: k8sName.default("vault-restore-drill"),
      /** The drill workflow's schedule (UTC, five fields). @default quarterly, 06:00 on the first of Jan, Apr, Jul, Oct */
      schedule: z.string().default("0 6 1 1,4,7,10 *"),
      /** Private addresses the scratch Vault may reach on 443: VPC interface endpoints of KMS, STS and S3 if used. */
      awsEndpointCidrs: z.array(cidr).default([]),
      /** The Kubernetes API server's addresses (443), for the Kubernetes auth login that reads the canary. */
      apiServerCidrs: z.array(cidr).default([]),
    })
    .prefault({}),
});

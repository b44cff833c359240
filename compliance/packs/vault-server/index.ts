import type { RulePack } from "../../rule";
import { awskmsSeal } from "./awskms-seal";
import { disableMlock } from "./disable-mlock";
import { disruptionBudget } from "./disruption-budget";
import { haRaftReplicas } from "./ha-raft-replicas";
import { ingressNotPublic } from "./ingress-not-public";
import { metricsAuthenticated } from "./metrics-authenticated";
import { networkPolicy } from "./network-policy";
import { noSecretInConfig } from "./no-secret-in-config";
import { persistentStorage } from "./persistent-storage";
import { pinnedChart } from "./pinned-chart";
import { pinnedImage } from "./pinned-image";
import { raftJoinTls } from "./raft-join-tls";
import { serviceAccountToken } from "./service-account-token";
import { tlsListeners } from "./tls-listeners";
import { tlsMinVersion } from "./tls-min-version";
import { uiNotPublic } from "./ui-not-public";
import { updateStrategy } from "./update-strategy";

/**
 * Vault server rules, over `helm_release` blocks of the `vault` chart: its effective values and the server
 * configuration (`server.ha.raft.config`). One rule per file in this directory; list each here.
 */
export const vaultServerPack: RulePack = {
  name: "Vault server",
  rules: [
    haRaftReplicas,
    disruptionBudget,
    updateStrategy,
    pinnedChart,
    pinnedImage,
    tlsListeners,
    tlsMinVersion,
    raftJoinTls,
    disableMlock,
    awskmsSeal,
    noSecretInConfig,
    persistentStorage,
    networkPolicy,
    serviceAccountToken,
    uiNotPublic,
    ingressNotPublic,
    metricsAuthenticated,
  ],
};

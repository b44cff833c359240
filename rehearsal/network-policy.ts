/**
 * Kubernetes NetworkPolicy egress, as the API defines it (k8s.io/api networking/v1 types.go, NetworkPolicySpec,
 * NetworkPolicyEgressRule, NetworkPolicyPeer, IPBlock): a pod selected by a policy with "Egress" in policyTypes may
 * open a connection only if some egress rule allows it; a rule allows it when one of its ports matches (no ports: all)
 * and one of its peers matches (no peers: all). A peer is an ipBlock (inside `cidr`, outside every `except`), or a
 * namespaceSelector and/or podSelector (podSelector alone: the policy's own namespace). Only matchLabels selectors.
 * Imported by tests only.
 */

export interface Destination {
  readonly ip: string;
  readonly port: number;
  readonly protocol?: "TCP" | "UDP";
  /** Set when the destination is a pod: its namespace's labels and its own. */
  readonly pod?: { readonly namespaceLabels: Record<string, string>; readonly labels: Record<string, string> };
}

const ipNumber = (ip: string): number => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipNumber(base) / size) * size;
  return ipNumber(ip) >= start && ipNumber(ip) < start + size;
}

interface Selector {
  readonly matchLabels?: Readonly<Record<string, string>>;
}
interface Peer {
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
  readonly namespaceSelector?: Selector;
  readonly podSelector?: Selector;
}
interface EgressRule {
  readonly to?: readonly Peer[];
  readonly ports?: readonly { readonly protocol?: string; readonly port: number | string }[];
}
/** The fields of a NetworkPolicy this evaluator reads. */
export interface NetworkPolicy {
  readonly metadata: { readonly namespace: string };
  readonly spec: { readonly policyTypes: readonly string[]; readonly egress?: readonly EgressRule[] };
}

const matches = (selector: Selector | undefined, labels: Record<string, string>): boolean =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

function peerMatches(peer: Peer, dest: Destination, policyNamespace: string): boolean {
  if (peer.ipBlock) return inCidr(dest.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(dest.ip, c));
  if (!dest.pod) return false;
  const nsOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, dest.pod.namespaceLabels)
    : dest.pod.namespaceLabels["kubernetes.io/metadata.name"] === policyNamespace;
  return nsOk && (peer.podSelector ? matches(peer.podSelector, dest.pod.labels) : true);
}

/** Whether the NetworkPolicy (Kubernetes API form) lets the pods it selects connect to `dest`. */
export function egressAllowed(policy: NetworkPolicy, dest: Destination): boolean {
  if (!policy.spec.policyTypes.includes("Egress")) return true;
  return (policy.spec.egress ?? []).some((rule) => {
    const ports = rule.ports ?? [];
    const portOk = ports.length === 0 || ports.some((p) => Number(p.port) === dest.port && (p.protocol ?? "TCP") === (dest.protocol ?? "TCP"));
    const peers = rule.to ?? [];
    return portOk && (peers.length === 0 || peers.some((peer) => peerMatches(peer, dest, policy.metadata.namespace)));
  });
}

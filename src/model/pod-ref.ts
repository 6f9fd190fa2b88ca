/** A pod reference "namespace/pod"; the canonical way every layer names a pod. */
export type PodRef = `${string}/${string}`;

/** A reference to an external host declared in the topology: "external:<name>". */
export type ExternalRef = `external:${string}`;

/** Anything a probe can target: a pod or an external host. */
export type PeerRef = PodRef | ExternalRef;

/** Builds an ExternalRef from an external host name. */
export function externalRef(name: string): ExternalRef {
  return `external:${name}`;
}

/** True when the peer names an external host rather than a pod. */
export function isExternalRef(peer: string): peer is ExternalRef {
  return peer.startsWith('external:');
}

/** Splits a PodRef into namespace and pod name; throws on a malformed ref (callers validate input first). */
export function parsePodRef(ref: string): { namespace: string; pod: string } {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1 || ref.indexOf('/', slash + 1) !== -1) {
    throw new Error(`not a pod reference "namespace/pod": ${ref}`);
  }
  return { namespace: ref.slice(0, slash), pod: ref.slice(slash + 1) };
}

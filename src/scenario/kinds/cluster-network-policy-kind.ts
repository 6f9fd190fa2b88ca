import type { ClusterNetworkPolicy, ClusterNetworkPolicyPeer, Topology } from '../../model/index.js';
import { resolveText } from '../resolve-policy.js';
import { clusterNetworkPolicySchema } from './cluster-network-policy-schema.js';
import type { PolicyKindModule } from './policy-kind-module.js';
import { validateClusterNetworkPolicy } from './validate-cluster-network-policy.js';

/** policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy: cluster-scoped; `networks` entries may hold placeholders. */
export const clusterNetworkPolicyKind: PolicyKindModule<'ClusterNetworkPolicy'> = {
  kind: 'ClusterNetworkPolicy',
  manifestKind: 'ClusterNetworkPolicy',
  apiVersions: ['policy.networking.k8s.io/v1alpha2'],
  scope: 'Cluster',
  schema: clusterNetworkPolicySchema,
  fromDocument: (document) => document as ClusterNetworkPolicy,
  validate: validateClusterNetworkPolicy,
  resolve: resolveClusterNetworkPolicy,
};

/** Resolves the `networks` placeholders of a ClusterNetworkPolicy's egress peers (ingress peers have no networks). */
function resolveClusterNetworkPolicy(policy: ClusterNetworkPolicy, topology: Topology): ClusterNetworkPolicy {
  const egress = policy.spec.egress;
  if (!egress) return policy;
  return { ...policy, spec: { ...policy.spec, egress: egress.map((rule) => ({ ...rule, to: rule.to.map((peer) => resolvePeer(peer, topology)) })) } };
}

function resolvePeer(peer: ClusterNetworkPolicyPeer, topology: Topology): ClusterNetworkPolicyPeer {
  return 'networks' in peer ? { networks: peer.networks.map((text) => resolveText(text, topology)) } : peer;
}

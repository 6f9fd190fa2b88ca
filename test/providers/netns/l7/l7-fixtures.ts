import type { AuthorizationPolicy, ClusterState, PolicyObject, Topology } from '../../../../src/model/index.js';
import { gridTopology } from '../fixtures.js';

/** The grid topology with x/a serving HTTP on 80/TCP (81/TCP stays plain TCP) and y/b running as service account "inventory". */
export function l7Topology(): Topology {
  const t = gridTopology();
  return {
    ...t,
    pods: t.pods.map((p) => {
      if (p.namespace === 'x' && p.name === 'a') return { ...p, ports: p.ports.map((cp) => (cp.port === 80 && cp.protocol === 'TCP' ? { ...cp, appProtocol: 'http' as const } : cp)) };
      if (p.namespace === 'y' && p.name === 'b') return { ...p, serviceAccount: 'inventory' };
      return p;
    }),
  };
}

/** An AuthorizationPolicy (action ALLOW unless given). */
export function authz(namespace: string, name: string, spec: Partial<AuthorizationPolicy['spec']>, annotations?: Record<string, string>): AuthorizationPolicy {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { action: 'ALLOW', ...spec },
  };
}

/** A state of the L7 topology with these policies. */
export function l7State(policies: readonly PolicyObject[]): ClusterState {
  return { topology: l7Topology(), policies };
}

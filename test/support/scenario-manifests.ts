import type { ClusterState } from '../../src/model/index.js';
import type { RawObject } from '../../src/scenario/manifest-inventory.js';

/** A step's cluster state as the manifests a user would have: Namespaces, one Deployment per pod, Services, policies. */
export function stateManifests(state: ClusterState): RawObject[] {
  const objects: unknown[] = [];
  for (const ns of state.topology.namespaces) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels: { ...ns.labels } } });
  for (const pod of state.topology.pods.filter((p) => !p.system)) {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: pod.name, namespace: pod.namespace },
      spec: {
        template: {
          metadata: { labels: { ...pod.labels } },
          spec: { containers: [{ name: 'c', image: 'agent', ports: pod.ports.map((p) => ({ containerPort: p.port, protocol: p.protocol, ...(p.name !== undefined && { name: p.name }) })) }] },
        },
      },
    });
    // Selects by all of the pod's labels: a pod with a superset of them is fronted too, which only changes service cells.
    if (pod.service) objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: pod.name, namespace: pod.namespace }, spec: { selector: { ...pod.labels } } });
  }
  objects.push(...state.policies);
  return objects.map((value, i) => ({ value, origin: `state#${i}` }));
}

import { expect } from 'chai';
import { listClusterObjects } from '../../src/app/list-cluster-objects.js';
import { scaffoldScenario } from '../../src/app/scaffold-scenario.js';
import type { KubeObject } from '../../src/providers/kube/kube-api.js';
import { EnvironmentError } from '../../src/model/index.js';
import { collectInventory } from '../../src/scenario/manifest-inventory.js';
import { FakeKubeApi, readyPod } from '../fakes/fake-kube-api.js';

/** Metadata with fields the KubeObjectMeta type does not name (a live object has them). */
const meta = (m: Record<string, unknown>) => m as unknown as KubeObject['metadata'];

function cluster(): FakeKubeApi {
  const api = new FakeKubeApi();
  api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'web' } } });
  api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  api.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } } } });
  // The Deployment's ReplicaSet and pod are the same workload: one representative pod, not three.
  api.put({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta({ name: 'web-1', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }), spec: { template: { metadata: { labels: { app: 'web' } } } } });
  const pod = readyPod('shop', 'web-1-abc', { app: 'web' }, '10.244.1.9');
  api.put({ ...pod, metadata: meta({ ...pod.metadata, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }] }) });
  api.put(readyPod('other', 'solo', { app: 'solo' }, '10.244.1.10'));
  api.put({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta({ name: 'deny', namespace: 'shop', uid: 'u1', resourceVersion: '7' }), spec: { podSelector: {}, policyTypes: ['Ingress'] } });
  return api;
}

describe('listClusterObjects', () => {
  describe('#listClusterObjects()', () => {
    it('should make list calls only, and yield a workload per controller plus policies and namespaces', async () => {
      const api = cluster();
      const inventory = collectInventory(await listClusterObjects(api));
      expect(api.calls.every((c) => c.op === 'list')).to.equal(true);
      expect(inventory.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).sort()).to.deep.equal(['Deployment shop/web', 'Pod kube-system/coredns-1', 'Pod other/solo']);
      expect(inventory.policies.map((p) => p.metadata.name)).to.deep.equal(['deny']);
      expect(inventory.namespaces.get('shop')).to.deep.equal({ team: 'web' });
    });

    it('should list only the given namespace', async () => {
      const api = cluster();
      const inventory = collectInventory(await listClusterObjects(api, 'shop'));
      expect(api.callsOf('list').filter((c) => c.kind !== 'Namespace').every((c) => c.namespace === 'shop')).to.equal(true);
      expect([...inventory.namespaces.keys()]).to.deep.equal(['shop']);
      const result = scaffoldScenario(inventory, { name: 'c', file: 'c.yaml', from: 'cluster' });
      expect(result.pods).to.equal(1);
      expect(result.text).to.contain('pod-ip 80/TCP');
    });

    it('should be an environment error when the API server cannot be listed', async () => {
      const api = cluster();
      api.list = async () => {
        throw new Error('connect ECONNREFUSED');
      };
      const err = await listClusterObjects(api).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect((err as Error).message).to.match(/cannot list Namespace objects: connect ECONNREFUSED/);
    });
  });
});

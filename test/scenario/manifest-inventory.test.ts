import { expect } from 'chai';
import { collectInventory } from '../../src/scenario/manifest-inventory.js';

const at = (value: unknown, i = 0) => ({ value, origin: `f.yaml:${i + 1}:1` });
const deploy = (name: string, labels: Record<string, unknown>, ports: unknown[] = [{ containerPort: 80 }]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports }] } } },
});

describe('collectInventory', () => {
  describe('#collectInventory()', () => {
    it('should flatten kubectl List output and keep one representative pod per workload', () => {
      const list = { apiVersion: 'v1', kind: 'List', items: [deploy('web', { app: 'web' }), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-x', namespace: 'shop', ownerReferences: [{ controller: true }] }, spec: {} }] };
      const inv = collectInventory([at(list)]);
      expect(inv.workloads.map((w) => `${w.kind} ${w.name}`)).to.deep.equal(['Deployment web']);
      expect(inv.workloads[0]!.ports).to.deep.equal([{ port: 80, protocol: 'TCP' }]);
    });

    it('should read a CronJob through its job template and default the namespace to default', () => {
      const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'r' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'r' } }, spec: { containers: [] } } } } } };
      expect(collectInventory([at(cron)]).workloads).to.deep.equal([{ kind: 'CronJob', namespace: 'default', name: 'r', labels: { app: 'r' }, ports: [], origin: 'f.yaml:1:1' }]);
    });

    it('should report, not guess, templated labels and ports', () => {
      const inv = collectInventory([at(deploy('a', { app: '${APP}' })), at(deploy('b', { app: 'b' }, [{ containerPort: '{{ .Values.port }}' }]), 1)]);
      expect(inv.workloads).to.deep.equal([]);
      expect(inv.skipped.map((s) => `${s.origin} ${s.reason}`)).to.deep.equal([
        'f.yaml:1:1 Deployment shop/a: label "app: ${APP}" is templated; its value cannot be known',
        'f.yaml:2:1 Deployment shop/b: container port "{{ .Values.port }}" is not a number (templated?)',
      ]);
    });

    it('should drop the fields a live policy carries and report an invalid policy with its reason', () => {
      const live = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop', uid: 'u', generation: 2 }, spec: { podSelector: {}, policyTypes: ['Ingress'] }, status: {} };
      const bad = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'q', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ form: [] }] } };
      const inv = collectInventory([at(live), at(bad, 1)]);
      expect(inv.policies).to.deep.equal([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } }]);
      expect(inv.skipped.map((s) => s.reason)[0]).to.match(/^NetworkPolicy shop\/q is not valid: spec\.ingress\.0/);
    });
  });
});

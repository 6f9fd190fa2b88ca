import { expect } from 'chai';
import type { KubeObject } from '../../../src/providers/kube/kube-api.js';
import { matchesSelector } from '../../../src/model/label-selector.js';
import { PodAddressPlan } from './node-plan.js';
import { ApiError, mergePatch, ObjectStore, RESOURCES, type StoreEvent } from './object-store.js';
import { parseSelectorQuery } from './selector-query.js';

const resource = (kind: string) => RESOURCES.find((r) => r.kind === kind)!;

describe('ObjectStore (the fake cluster\'s objects)', () => {
  describe('#apply()', () => {
    it('should refuse objects in a missing namespace and keep uid, status and ClusterIP across re-applies', () => {
      const store = new ObjectStore();
      const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x', labels: { pod: 'a' } } };
      expect(() => store.apply(resource('Pod'), 'x', 'a', pod)).to.throw(ApiError, /namespaces "x" not found/);
      store.apply(resource('Namespace'), undefined, 'x', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
      const first = store.apply(resource('Pod'), 'x', 'a', pod);
      store.setStatus('Pod', 'x', 'a', first.metadata.uid, { phase: 'Running' });
      const again = store.apply(resource('Pod'), 'x', 'a', { ...pod, metadata: { ...pod.metadata, labels: { pod: 'b' } } });
      expect(again.metadata.uid).to.equal(first.metadata.uid);
      expect(again.status).to.deep.equal({ phase: 'Running' });
      expect(again.metadata.labels).to.deep.equal({ pod: 'b' });
      const svc = store.apply(resource('Service'), 'x', 's', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'x' }, spec: {} });
      const svc2 = store.apply(resource('Service'), 'x', 's', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'x' }, spec: {} });
      expect((svc2.spec as { clusterIP: string }).clusterIP).to.equal((svc.spec as { clusterIP: string }).clusterIP);
    });
  });

  describe('#delete()', () => {
    it('should turn a namespace Terminating, then delete its contents and itself, with events', async () => {
      const store = new ObjectStore();
      const events: string[] = [];
      store.onChange((e: StoreEvent) => events.push(`${e.type} ${e.object.kind}`));
      store.apply(resource('Namespace'), undefined, 'x', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
      store.apply(resource('ConfigMap'), 'x', 'c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' } });
      store.delete(resource('Namespace'), undefined, 'x');
      expect(store.list('Namespace')[0]?.metadata.deletionTimestamp).to.be.a('string');
      await new Promise((r) => setTimeout(r, 150));
      expect(store.all()).to.deep.equal([]);
      expect(events).to.deep.equal(['added Namespace', 'added ConfigMap', 'modified Namespace', 'deleted ConfigMap', 'deleted Namespace']);
    });
  });

  describe('mergePatch()', () => {
    it('should set, replace and remove (null) keys recursively, as RFC 7386', () => {
      expect(mergePatch({ metadata: { labels: { a: '1', b: '2' } }, spec: [1] }, { metadata: { labels: { a: null, c: '3' } }, spec: [2] })).to.deep.equal({ metadata: { labels: { b: '2', c: '3' } }, spec: [2] });
    });
  });
});

describe('parseSelectorQuery()', () => {
  it('should parse equality, inequality, existence and set terms with Kubernetes semantics', () => {
    const s = parseSelectorQuery('a=1,b==2,c!=3,d,!e,f in (x, y),g notin (z)');
    expect(matchesSelector(s, { a: '1', b: '2', d: '', f: 'y' })).to.equal(true);
    expect(matchesSelector(s, { a: '1', b: '2', c: '3', d: '', f: 'y' })).to.equal(false);
    expect(matchesSelector(s, { a: '1', b: '2', d: '', e: '', f: 'y' })).to.equal(false);
    expect(matchesSelector(s, { a: '1', b: '2', d: '', f: 'y', g: 'z' })).to.equal(false);
    expect(matchesSelector(parseSelectorQuery(''), { any: 'thing' })).to.equal(true);
  });

  it('should reject what it cannot parse', () => {
    expect(() => parseSelectorQuery('a in b')).to.throw(/unable to parse/);
  });
});

describe('PodAddressPlan', () => {
  describe('#allocate()', () => {
    it('should spread pods over the nodes, each from its own /24, and reuse addresses only after release', () => {
      const plan = new PodAddressPlan([
        { name: 'n0', podCIDR: '10.244.0.0/24' },
        { name: 'n1', podCIDR: '10.244.1.0/24' },
      ]);
      const got = [plan.allocate(), plan.allocate(), plan.allocate()].map((a) => `${a.node.name} ${a.ip}`);
      expect(got).to.deep.equal(['n0 10.244.0.2', 'n1 10.244.1.2', 'n0 10.244.0.3']);
      plan.release('n1', '10.244.1.2');
      expect(plan.allocate().ip).to.equal('10.244.1.3');
    });
  });
});

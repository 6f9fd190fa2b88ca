import { expect } from 'chai';
import { findDnsPod, podRefOf, serviceFqdn, type PodSpec } from '../../src/model/index.js';

const pod = (namespace: string, name: string, labels: Record<string, string> = {}) => ({ namespace, name, labels }) as unknown as PodSpec;

describe('topology', () => {
  describe('#podRefOf()', () => {
    it('should name a pod namespace/name', () => {
      expect(podRefOf({ namespace: 'x', name: 'a' })).to.equal('x/a');
    });
  });

  describe('#findDnsPod()', () => {
    it('should find only the kube-system pod labelled k8s-app=kube-dns', () => {
      const dns = pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' });
      expect(findDnsPod({ pods: [pod('x', 'dns', { 'k8s-app': 'kube-dns' }), dns] })).to.equal(dns);
      expect(findDnsPod({ pods: [pod('kube-system', 'other')] })).to.equal(undefined);
    });
  });

  describe('#serviceFqdn()', () => {
    it('should build <name>.<namespace>.svc.<domain>', () => {
      expect(serviceFqdn('web', 'x', 'cluster.local')).to.equal('web.x.svc.cluster.local');
    });
  });

});

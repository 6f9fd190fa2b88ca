import { expect } from 'chai';
import { InputError } from '../../src/model/index.js';
import { getProvider, providerNames } from '../../src/providers/registry.js';
import { KIND_CNIS } from '../../src/providers/kind/kind-versions.js';

describe('provider registry', () => {
  describe('#providerNames()', () => {
    it('should list every provider once, the default netns first', () => {
      expect(providerNames()).to.deep.equal(['netns', 'kind', 'k3s', 'kubeconfig']);
    });
  });

  describe('#getProvider()', () => {
    it('should return undefined for an unknown name', () => {
      expect(getProvider('docker')).to.equal(undefined);
    });

    it('should name the CNIs each provider runs, the default first', () => {
      expect(getProvider('kind')!.cnis[0]).to.equal('kindnet');
      expect([...getProvider('kind')!.cnis].sort()).to.deep.equal([...KIND_CNIS].sort());
      expect(getProvider('k3s')!.cnis).to.deep.equal(['kube-router']);
      expect(getProvider('netns')!.cnis).to.deep.equal([]);
    });

    it('should let only netns accept --no-enforce and only kind accept --node-image', () => {
      const accepting = (flag: string) => providerNames().filter((n) => (getProvider(n)!.flags as readonly string[]).includes(flag));
      expect(accepting('enforce')).to.deep.equal(['netns']);
      expect(accepting('nodeImage')).to.deep.equal(['kind']);
      expect(accepting('context')).to.deep.equal(['kubeconfig']);
      expect(accepting('mesh')).to.deep.equal(['kind', 'kubeconfig']);
    });

    it('should refuse a mesh it does not run before importing the provider', async () => {
      const err = await getProvider('kind')!.create({ provider: 'kind', cni: 'calico', mesh: 'linkerd' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).message).to.contain('--mesh linkerd: expected none or istio');
    });

    it('should refuse a kind CNI it does not run before importing the provider', async () => {
      const err = await getProvider('kind')!.create({ provider: 'kind', cni: 'flannel' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).message).to.contain('--cni flannel: expected calico, cilium, kindnet');
    });

    it('should refuse a kubeconfig clean-up without --context', async () => {
      const err = await getProvider('kubeconfig')!.cleanup({ provider: 'kubeconfig', runId: 'r1' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InputError);
    });
  });
});

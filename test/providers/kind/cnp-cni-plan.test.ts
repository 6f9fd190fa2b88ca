import { expect } from 'chai';
import { cniPlan } from '../../../src/providers/kind/cni-plan.js';
import { cniPlanWithClusterNetworkPolicy } from '../../../src/providers/kind/cnp-cni-plan.js';
import { clusterNetworkPolicyCrdSteps } from '../../../src/providers/kind/cnp-crds.js';
import { defaultClustersDir } from '../../../src/providers/kind/kind-provider.js';
import { KIND_CNIS } from '../../../src/providers/kind/kind-versions.js';

const CLUSTERS = defaultClustersDir();
const line = (s: { file: string; args: readonly string[] }) => [s.file, ...s.args].join(' ');

describe('cniPlanWithClusterNetworkPolicy()', () => {
  describe('#cniPlanWithClusterNetworkPolicy()', () => {
    it('should install the CRD before anything of the CNI, for every kind CNI', () => {
      const crds = clusterNetworkPolicyCrdSteps('kc').map(line);
      for (const cni of KIND_CNIS) expect(cniPlanWithClusterNetworkPolicy(cni, CLUSTERS, 'kc').install.slice(0, 2).map(line), cni).to.deep.equal(crds);
    });

    it('should keep Calico\'s install as it is after the CRD', () => {
      const plan = cniPlanWithClusterNetworkPolicy('calico', CLUSTERS, 'kc');
      expect(plan.install.slice(2).map(line)).to.deep.equal(cniPlan('calico', CLUSTERS, 'kc').install.map(line));
      expect(plan.readiness).to.deep.equal(cniPlan('calico', CLUSTERS, 'kc').readiness);
    });

    it('should add Cilium\'s CNP switch to its Helm install and nothing else', () => {
      const plain = cniPlan('cilium', CLUSTERS, 'kc').install;
      const [helm, ...rest] = cniPlanWithClusterNetworkPolicy('cilium', CLUSTERS, 'kc').install.slice(2);
      expect(rest).to.deep.equal([]);
      expect(helm!.args).to.deep.equal([...plain[0]!.args, '--set', 'k8sClusterNetworkPolicy.enabled=true']);
    });

    it('should run kube-network-policies on kindnet and wait for its pods too', () => {
      const plan = cniPlanWithClusterNetworkPolicy('kindnet', CLUSTERS, 'kc');
      expect(plan.install.slice(2).map(line).some((l) => l.includes('install-cnp.yaml'))).to.equal(true);
      expect(plan.readiness.map((g) => g.description)).to.deep.equal(['kindnet', 'kube-network-policies']);
      expect(plan.tools).to.deep.equal(['kubectl']);
    });

    it('should need kubectl for every CNI (the CRD goes in with it), Helm still for Cilium', () => {
      expect(cniPlanWithClusterNetworkPolicy('cilium', CLUSTERS, 'kc').tools).to.have.members(['kubectl', 'helm']);
      for (const cni of KIND_CNIS) expect(cniPlanWithClusterNetworkPolicy(cni, CLUSTERS, 'kc').tools, cni).to.include('kubectl');
    });

    it('should leave the plan without CNP unchanged (no CRD, no switch)', () => {
      for (const cni of KIND_CNIS) expect(cniPlan(cni, CLUSTERS, 'kc').install.map(line).some((l) => l.includes('network-policy'))).to.equal(false);
    });
  });
});

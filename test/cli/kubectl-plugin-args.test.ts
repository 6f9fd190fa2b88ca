import { expect } from 'chai';
import { kubectlPluginArgv } from '../../src/cli/kubectl-plugin-args.js';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\ncurrent-context: prod-eu\ncontexts: []\n';

function source(files: Record<string, string>, env: Record<string, string> = {}) {
  return { env: { HOME: '/home/u', ...env }, readFile: (p: string) => files[p] };
}

describe('kubectlPluginArgv()', () => {
  it('should run on the kubeconfig provider with the current context of ~/.kube/config', () => {
    expect(kubectlPluginArgv(['run', 'scenarios/'], source({ '/home/u/.kube/config': KUBECONFIG }))).to.deep.equal(['run', 'scenarios/', '--provider', 'kubeconfig', '--context', 'prod-eu']);
  });

  it('should keep an explicit --context and --provider, and read --kubeconfig\'s file for the current context', () => {
    expect(kubectlPluginArgv(['run', 'a.yaml', '--context=dev'], source({ '/home/u/.kube/config': KUBECONFIG }))).to.deep.equal(['run', 'a.yaml', '--context=dev', '--provider', 'kubeconfig']);
    expect(kubectlPluginArgv(['run', 'a.yaml', '--provider', 'kind'], source({ '/home/u/.kube/config': KUBECONFIG }))).to.deep.equal(['run', 'a.yaml', '--provider', 'kind']);
    expect(kubectlPluginArgv(['run', 'a.yaml', '--provider=kubeconfig'], source({ '/home/u/.kube/config': KUBECONFIG }))).to.deep.equal(['run', 'a.yaml', '--provider=kubeconfig', '--context', 'prod-eu']);
    expect(kubectlPluginArgv(['run', 'a.yaml', '--kubeconfig', '/k/c'], source({ '/k/c': 'current-context: lab\n' }))).to.deep.equal(['run', 'a.yaml', '--kubeconfig', '/k/c', '--provider', 'kubeconfig', '--context', 'lab']);
  });

  it('should take the first file of $KUBECONFIG that sets a current context, like kubectl', () => {
    const env = { KUBECONFIG: '/a:/b' };
    expect(kubectlPluginArgv(['cleanup', '--run-id', 'r1'], source({ '/a': 'kind: Config\n', '/b': 'current-context: second\n' }, env))).to.deep.equal(['cleanup', '--run-id', 'r1', '--provider', 'kubeconfig', '--context', 'second']);
  });

  it('should turn -n/--namespace into the run id (the prefix of every namespace netseg creates)', () => {
    for (const flags of [['-n', 'team-a'], ['--namespace', 'team-a'], ['--namespace=team-a'], ['-nteam-a']]) {
      expect(kubectlPluginArgv(['run', 'a.yaml', ...flags], source({}))).to.deep.equal(['run', 'a.yaml', '--provider', 'kubeconfig', '--run-id', 'team-a']);
    }
  });

  it('should pass commands that need no cluster through unchanged, and add no context when none is configured', () => {
    expect(kubectlPluginArgv(['check', 'scenarios/'], source({ '/home/u/.kube/config': KUBECONFIG }))).to.deep.equal(['check', 'scenarios/']);
    expect(kubectlPluginArgv(['--version'], source({}))).to.deep.equal(['--version']);
    expect(kubectlPluginArgv(['run', 'a.yaml'], source({ '/home/u/.kube/config': ': not yaml: [' }))).to.deep.equal(['run', 'a.yaml', '--provider', 'kubeconfig']);
  });
});

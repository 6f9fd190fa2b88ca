import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../run-cli.js';

async function help(command: string): Promise<string> {
  return (await cli(command, '--help')).stdout;
}

/** Flags of the tools the Kubernetes providers drive (kind, kubectl, helm, docker), of the probe agent, of Node and of the bench scripts, which netseg's texts may name. */
const OTHER_TOOLS = new Set(['--previous', '--no-baseline', '--single-threaded', '--optimize-for-size', '--name', '--wait', '--version', '--values', '--repo', '--config', '--user', '--timeout', '--namespace', '--format', '--for', '--privileged', '--disable', '--listen', '--identity', '--ready-file', '--batch', '--set', '--server-side', '--create-namespace']);

function flagsNamedIn(files: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) for (const m of readFileSync(file, 'utf8').matchAll(/(?<![\w-])--[a-z][a-z-]*[a-z](?![\w-])/g)) if (!found.has(m[0])) found.set(m[0], file);
  return found;
}

describe('netseg run flags', () => {
  it('should offer every netseg flag that the Kubernetes providers\' messages, docs/providers.md and the README name', async () => {
    const dirs = ['src/providers/kube', 'src/providers/kind', 'src/providers/k3s', 'src/providers/kubeconfig'];
    const files = [...dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => join(d, f))), 'docs/providers.md', 'README.md'];
    const offered = (await Promise.all(['run', 'cleanup', 'check', 'plan', 'explain', 'lint', 'compare', 'scaffold', 'suggest', 'diff'].map(help))).join('\n');
    const missing = [...flagsNamedIn(files)].filter(([flag]) => !OTHER_TOOLS.has(flag) && !new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(offered));
    expect(missing.map(([flag, file]) => `${flag} (${file})`)).to.deep.equal([]);
  });

  it('should reject --ready-timeout and --node-image where they do not apply, naming the flag as typed', async () => {
    const netns = await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'netns', '--ready-timeout', '5m');
    expect(netns.code).to.equal(2);
    expect(netns.stderr).to.contain('--ready-timeout does not apply to --provider netns');
    const k3s = await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'k3s', '--node-image', 'kindest/node:v1');
    expect(k3s.code).to.equal(2);
    expect(k3s.stderr).to.contain('--node-image does not apply to --provider k3s');
    expect((await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'kind', '--ready-timeout', 'soon')).stderr).to.match(/--ready-timeout soon: expected a duration/);
  });

  it('should reject --mesh on providers that install or detect no mesh (netns, k3s), and an unknown mesh', async () => {
    const netns = await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'netns', '--mesh', 'istio');
    expect(netns.code).to.equal(2);
    expect(netns.stderr).to.contain('--mesh does not apply to --provider netns');
    expect((await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'k3s', '--mesh', 'istio')).stderr).to.contain('--mesh does not apply to --provider k3s');
    const unknown = await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'kind', '--mesh', 'linkerd');
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain('--mesh linkerd: expected none or istio');
  });
});

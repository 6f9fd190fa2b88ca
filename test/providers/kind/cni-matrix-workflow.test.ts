import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KIND_CNIS, KIND_VERSIONS } from '../../../src/providers/kind/kind-versions.js';

interface Step { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> }
interface Job { name?: string; env?: Record<string, string>; strategy?: { matrix: { cni: string[]; mesh?: string[]; include?: Record<string, string>[] } }; needs?: string | string[]; if?: string; steps: Step[] }

describe('.github/workflows/cni-matrix.yml', () => {
  const wf = parse(readFileSync(new URL('../../../.github/workflows/cni-matrix.yml', import.meta.url), 'utf8')) as { env: Record<string, string>; jobs: Record<string, Job> };
  /** The jobs that run netseg on a provider (named after it); `compare` only reads their reports. */
  const providerJobs = () => Object.entries(wf.jobs).filter(([name]) => name !== 'compare');

  it('should run every kind CNI netseg supports, plus k3s', () => {
    expect(wf.jobs.kind!.strategy!.matrix.cni).to.have.members([...KIND_CNIS]);
    expect(wf.jobs).to.have.property('k3s');
  });

  it('should run netseg through the action itself (uses: ./) with the kind version netseg pins', () => {
    expect(wf.env.KIND_VERSION).to.equal(KIND_VERSIONS.kind);
    const step = wf.jobs.kind!.steps.find((s) => s.uses === './')!;
    expect(step.with).to.include({ provider: 'kind', cni: '${{ matrix.cni }}', 'kind-version': '${{ env.KIND_VERSION }}', scenarios: 'scenarios/' });
  });

  it('should write the reports to reports/ through the action, upload them, and run test/e2e/kube with NETSEG_E2E_KUBE=1', () => {
    for (const [name, job] of providerJobs()) {
      const step = job.steps.find((s) => s.uses === './')!;
      expect(step.with, name).to.include({ provider: name, 'report-dir': 'reports' });
      expect(job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).to.equal(true);
      const e2e = job.steps.find((s) => s.run?.includes('test/e2e/kube'))!;
      expect(e2e.env).to.include({ NETSEG_E2E_KUBE: '1' });
    }
  });

  it('should keep run artifacts in a visible directory and upload it (upload-artifact skips hidden ones)', () => {
    for (const [, job] of providerJobs()) {
      const args = String(job.steps.find((s) => s.uses === './')!.with?.args ?? '');
      const dir = /--artifacts (\S+)/.exec(args)?.[1];
      expect(dir, 'the action step passes netseg run --artifacts DIR').to.be.a('string');
      expect(dir!.split('/').some((segment) => segment.startsWith('.'))).to.equal(false);
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
      expect(String(upload.with?.path).split('\n').map((p) => p.trim())).to.include(`${dir!.split('/')[0]}/`);
    }
  });

  it('should clean up with the provider that created the clusters, even after a failure', () => {
    const cleanup = wf.jobs.kind!.steps.filter((s) => s.run?.includes('netseg cleanup'));
    expect(cleanup).to.have.length(1);
    expect(cleanup[0]!.run).to.match(/npx netseg cleanup --provider kind --all/);
    expect((cleanup[0] as { if?: string }).if).to.equal('always()');
  });

  it('should run the ClusterNetworkPolicy pack on every kind CNI (scenarios/cluster-network-policy/ lies under the scenarios it runs)', () => {
    const scenarios = String(wf.jobs.kind!.steps.find((s) => s.uses === './')!.with?.scenarios).split(/\s+/).filter(Boolean);
    expect(scenarios.some((dir) => 'scenarios/cluster-network-policy/'.startsWith(dir.endsWith('/') ? dir : `${dir}/`))).to.equal(true);
  });

  it('should run the Cilium pack on every kind CNI and on k3s (enforced on --cni cilium, reported unsupported elsewhere)', () => {
    for (const job of [wf.jobs.kind!, wf.jobs.k3s!]) {
      const scenarios = String(job.steps.find((s) => s.uses === './')!.with?.scenarios).split(/\s+/).filter(Boolean);
      expect(scenarios.some((dir) => 'scenarios/cilium/'.startsWith(dir.endsWith('/') ? dir : `${dir}/`))).to.equal(true);
    }
  });

  it('should run the ClusterNetworkPolicy pack on k3s too, where kube-router reports it unsupported rather than failed', () => {
    const step = wf.jobs.k3s!.steps.find((s) => s.uses === './')!;
    const scenarios = String(step.with?.scenarios).split(/\s+/).filter(Boolean);
    expect(scenarios.some((dir) => 'scenarios/cluster-network-policy/'.startsWith(dir.endsWith('/') ? dir : `${dir}/`))).to.equal(true);
    // The action's default fail-on (mismatch) does not fail a step for unsupported cells.
    expect(step.with?.['fail-on'] ?? 'mismatch').to.equal('mismatch');
  });

  it('should add a `kind / calico + istio` leg beside the CNI legs (a new combination, not an extension of the calico one), passing the mesh to the action', () => {
    const { matrix } = wf.jobs.kind!.strategy!;
    expect(matrix.mesh).to.deep.equal(['none']);
    expect(matrix.include).to.deep.equal([{ cni: 'calico', mesh: 'istio' }]);
    expect(wf.jobs.kind!.name).to.equal("kind / ${{ matrix.cni }}${{ matrix.mesh != 'none' && format(' + {0}', matrix.mesh) || '' }}");
    expect(wf.jobs.kind!.steps.find((s) => s.uses === './')!.with).to.include({ mesh: '${{ matrix.mesh }}' });
  });

  it('should name every leg\'s artifacts after the leg, so calico and calico + istio never overwrite each other', () => {
    const leg = wf.jobs.kind!.env!.LEG!;
    expect(leg).to.contain('matrix.cni').and.to.contain('matrix.mesh');
    const upload = wf.jobs.kind!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with?.name).to.equal('netseg-reports-kind-${{ env.LEG }}');
    expect(String(wf.jobs.kind!.steps.find((s) => s.uses === './')!.with?.args)).to.contain('artifacts/kind-${{ env.LEG }}');
  });

  it('should run the L7 pack (scenarios/l7/) on every kind leg: enforced on cilium and calico + istio, unsupported elsewhere', () => {
    const scenarios = String(wf.jobs.kind!.steps.find((s) => s.uses === './')!.with?.scenarios).split(/\s+/).filter(Boolean);
    expect(scenarios.some((dir) => 'scenarios/l7/'.startsWith(dir.endsWith('/') ? dir : `${dir}/`))).to.equal(true);
  });

  it('should compare the kind CNIs\' reports after the matrix, also when a leg failed', () => {
    const compare = wf.jobs.compare!;
    expect(compare.needs).to.equal('kind');
    expect(compare.if).to.equal('always()');
    const download = compare.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).to.include({ pattern: 'netseg-reports-kind-*' });
    const run = compare.steps.find((s) => s.run?.includes('netseg compare'))!.run!;
    expect(run).to.include(`${String(download.with!.path)}/netseg-reports-kind-*/reports/report.json`);
    expect(run).to.match(/-o html/);
    expect(compare.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).to.equal(true);
  });
});

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { DEFAULT_PROBE_IMAGE, nodeImageMajor } from '../../../src/providers/kube/probe-image.js';
import { findAgentBundle } from '../../../src/providers/kube/agent-bundle.js';

describe('DEFAULT_PROBE_IMAGE', () => {
  it('should be an official Node image whose major is the Node major netseg runs and tests on', () => {
    expect(DEFAULT_PROBE_IMAGE).to.match(/^node:\d+-alpine$/);
    expect(nodeImageMajor(DEFAULT_PROBE_IMAGE)).to.equal(Number(process.versions.node.split('.')[0]));
  });

  it('should be at least the esbuild target of the agent bundle', () => {
    const script = readFileSync(new URL('../../../scripts/bundle-agent.mjs', import.meta.url), 'utf8');
    const target = /target:\s*'node(\d+)'/.exec(script);
    expect(target, 'bundle-agent.mjs sets a node target').to.not.equal(null);
    expect(nodeImageMajor(DEFAULT_PROBE_IMAGE)).to.be.at.least(Number(target![1]));
  });

  it('should parse image majors', () => {
    expect(nodeImageMajor('node:22.19.0-alpine3.22')).to.equal(22);
    expect(nodeImageMajor('docker.io/library/node:24')).to.equal(24);
    expect(nodeImageMajor('registry.example/agnhost:2.66.1')).to.equal(undefined);
  });

  it('should run the built agent bundle under this Node major (the probe image\'s)', function () {
    const bundle = findAgentBundle();
    if (!bundle) this.skip(); // built by `npm run build`; .ci/run builds it through `npm ci` (prepare)
    const r = spawnSync(process.execPath, [bundle!, 'probe', '--batch', JSON.stringify({ jobs: [], concurrency: 1 })], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.have.property('results').that.deep.equals([]);
  });
});

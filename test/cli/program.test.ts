import { expect } from 'chai';
import { cli } from './run-cli.js';

const dir = 'test/fixtures/cli';

describe('netseg CLI', () => {
  describe('check', () => {
    it('should exit 0 when every expectation matches the engine', async () => {
      const r = await cli('check', `${dir}/ok.yaml`);
      expect(r.code, r.stderr + r.stdout).to.equal(0);
    });

    it('should exit 1 and explain a wrong expectation', async () => {
      const r = await cli('check', `${dir}/wrong.yaml`);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.match(/y\/b/);
      expect(r.stdout).to.match(/deny-a/);
    });

    it('should exit 2 with file:line:col for every problem and no stack trace', async () => {
      const r = await cli('check', `${dir}/malformed.yaml`);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/malformed\.yaml:8:5: .*colour/);
      expect(r.stderr).to.match(/malformed\.yaml:19:29: port must be between 1 and 65535/);
      expect(r.stderr).to.match(/malformed\.yaml:25:\d+: .*x\/nope/);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });

    it('should still check the expectation of a step one of whose actions is malformed', async () => {
      const r = await cli('check', `${dir}/bad-step.yaml`);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/bad-step\.yaml:15:15: unknown key "ports"/);
      expect(r.stderr).to.match(/bad-step\.yaml:22:37: port must be between 1 and 65535/);
      expect(r.stderr).to.match(/bad-step\.yaml:25:15: unknown pod "x\/nope"/);
      expect(r.stderr).to.match(/bad-step\.yaml:29:13: row "x\/a" has 3 cells/);
    });

    it('should exit 2 for a path that does not exist', async () => {
      const r = await cli('check', `${dir}/missing.yaml`);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/missing\.yaml/);
    });

    it('should write a JSON report to a file and junit to stdout', async () => {
      const { mkdtemp, readFile } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { rm } = await import('node:fs/promises');
      const tmp = await mkdtemp(`${tmpdir()}/netseg-cli-`);
      try {
        const r = await cli('check', `${dir}/ok.yaml`, '--reporter', `json=${tmp}/r.json`, '--reporter', 'junit');
        expect(r.code).to.equal(0);
        expect(r.stdout).to.match(/<testsuites/);
        const report = JSON.parse(await readFile(`${tmp}/r.json`, 'utf8'));
        expect(report).to.include({ schemaVersion: 2, mode: 'check' });
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  });

  describe('plan', () => {
    it('should print one JSON record per cell with provenance', async () => {
      const r = await cli('plan', `${dir}/ok.yaml`, '-o', 'json', '--step', '1');
      expect(r.code, r.stderr).to.equal(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.records).to.have.length(16);
      const rec = doc.records.find((x: { from: string; to: string }) => x.from === 'y/b' && x.to === 'x/a');
      expect(rec).to.include({ step: 1, target: 'pod-ip', port: 80, protocol: 'TCP', connectivity: 'blocked' });
      expect(rec.explanation.ingress.selectedBy).to.deep.equal(['x/deny-a']);
    });

    it('should print truth tables', async () => {
      const r = await cli('plan', `${dir}/ok.yaml`);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.match(/pod-ip 80\/TCP/);
      expect(r.stdout).to.match(/y\/b\s+X/);
    });

    it('should exit 2 naming the steps on an unknown --step', async () => {
      const r = await cli('plan', `${dir}/ok.yaml`, '--step', 'nope');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/baseline/);
    });

    it('should print the records of -o json one per line with -o ndjson', async () => {
      const json = await cli('plan', `${dir}/ok.yaml`, '-o', 'json');
      const ndjson = await cli('plan', `${dir}/ok.yaml`, '-o', 'ndjson');
      expect(ndjson.code, ndjson.stderr).to.equal(0);
      expect(ndjson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).to.deep.equal(JSON.parse(json.stdout).records);
    });

    it('should exit 2 on an unknown output format naming the three', async () => {
      const r = await cli('plan', `${dir}/ok.yaml`, '-o', 'yaml');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/table, json or ndjson/);
    });
  });

  describe('explain', () => {
    it('should name the isolating policy of a blocked flow', async () => {
      const r = await cli('explain', `${dir}/ok.yaml`, '--from', 'y/b', '--to', 'x/a', '--port', '80/TCP');
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/BLOCKED/);
      expect(r.stdout).to.match(/x\/deny-a/);
    });

    it('should exit 2 on an unknown pod', async () => {
      const r = await cli('explain', `${dir}/ok.yaml`, '--from', 'q/q', '--to', 'x/a');
      expect(r.code).to.equal(2);
    });
  });

  describe('run', () => {
    it('should exit 3 with what to do when kind is not installed, and create nothing', async function () {
      const { execFileSync } = await import('node:child_process');
      try {
        execFileSync('kind', ['version'], { stdio: 'ignore' });
        this.skip(); // a machine with kind would really create a cluster
      } catch {
        // kind is missing: the case under test.
      }
      const r = await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'kind', '--cni', 'calico');
      expect(r.code, r.stderr).to.equal(3);
      expect(r.stderr).to.match(/kind is not installed[\s\S]*what to do: install kind/);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });

    it('should exit 2 before provisioning anything when a scenario is malformed', async () => {
      const r = await cli('run', 'test/fixtures/cli/malformed.yaml', '--provider', 'kind');
      expect(r.code).to.equal(2);
    });

    it('should refuse the kubeconfig provider without --context', async () => {
      const r = await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'kubeconfig');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/--context/);
    });

    it('should reject flags that do not apply to the provider', async () => {
      expect((await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'netns', '--context', 'x')).code).to.equal(2);
      expect((await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'kind', '--no-enforce')).code).to.equal(2);
      expect((await cli('run', 'test/fixtures/cli/ok.yaml', '--provider', 'kind', '--cni', 'flannel')).code).to.equal(2);
    });
  });

  describe('usage', () => {
    it('should exit 2 on an unknown command', async () => {
      expect((await cli('frobnicate')).code).to.equal(2);
    });

    it('should exit 0 for --help', async () => {
      const r = await cli('--help');
      expect(r.code).to.equal(0);
      expect(r.stdout).to.match(/check/);
    });

    it('should exit 2 for cleanup without --run-id or --all', async () => {
      expect((await cli('cleanup')).code).to.equal(2);
    });
  });
});

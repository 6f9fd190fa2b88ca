import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cli } from '../run-cli.js';

const OK = 'test/fixtures/cli/ok.yaml';

describe('netseg check', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netseg-check-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('#paths', () => {
    it('should exit 2 for a directory that holds no scenario file', async () => {
      await mkdir(join(dir, 'empty'));
      await writeFile(join(dir, 'empty', 'notes.yaml'), 'kind: ConfigMap\n');
      const r = await cli('check', join(dir, 'empty'));
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.include(`no scenario files under ${join(dir, 'empty')}`);
      expect(r.stdout).to.not.match(/PASSED/);
    });

    it('should check, not skip, a scenario in a directory that uses an anchor 150 times', async () => {
      const text = (await readFile(OK, 'utf8')).replace('          - { to: x/a, expect: blocked }', `          - &rule { to: x/a, expect: blocked }\n${'          - *rule\n'.repeat(150)}`);
      await writeFile(join(dir, 'aliases.yaml'), text);
      const r = await cli('check', dir, '--reporter', 'json');
      expect(r.code, r.stderr).to.equal(0);
      expect((JSON.parse(r.stdout) as { scenarios: { name: string }[] }).scenarios.map((s) => s.name)).to.deep.equal(['deny-x-a']);
    });

    it('should report, not skip, a scenario in a directory that is an alias bomb', async () => {
      const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)];
      await writeFile(join(dir, 'bomb.yaml'), `${(await readFile(OK, 'utf8')).replace('spec:\n', `x-bomb:\n${laughs.map((l) => `  ${l}`).join('\n')}\nspec:\n`)}`);
      const r = await cli('check', dir);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/bomb\.yaml:\d+:\d+: the document expands to more than 200,000 values/);
    });

    it('should refuse a file over 16 MiB', async () => {
      await writeFile(join(dir, 'big.yaml'), `${await readFile(OK, 'utf8')}#${'x'.repeat(17 * 1024 * 1024)}\n`);
      const r = await cli('check', join(dir, 'big.yaml'));
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/big\.yaml:1:1: the file has [\d,]+ bytes; netseg reads input files of at most 16,777,216 bytes/);
    });

    it('should pass a scenario whose policy is written with anchors and a merge key', async () => {
      const text = (await readFile(OK, 'utf8')).replace('podSelector: { matchLabels: { pod: a } }', 'podSelector: &sel { matchLabels: { pod: a } }').replace('ingress: []', 'ingress: []\n              egress: [{ to: [{ podSelector: { <<: *sel } }] }]\n              policyTypes: [Ingress]');
      await writeFile(join(dir, 'anchored.yaml'), text);
      const r = await cli('check', join(dir, 'anchored.yaml'));
      expect(r.code, r.stderr + r.stdout).to.equal(0);
    });
  });

  describe('#reporters', () => {
    it('should refuse two reporters on stdout before running anything (exit 2)', async () => {
      const r = await cli('check', OK, '--reporter', 'json', '--reporter', 'table');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/reporters json and table would both write to stdout/);
      expect(r.stdout).to.equal('');
    });

    it('should accept one reporter on stdout and others in files', async () => {
      const r = await cli('check', OK, '--reporter', 'table', '--reporter', `json=${join(dir, 'r.json')}`);
      expect(r.code, r.stderr).to.equal(0);
    });
  });

  describe('#notes', () => {
    it('should print a scenario\'s notes under its description in the table report', async () => {
      await writeFile(join(dir, 'noted.yaml'), (await readFile(OK, 'utf8')).replace('  name: deny-x-a\n', '  name: deny-x-a\n  description: Deny x/a.\n  notes: [the source claims more than the manifest does, a second note]\n'));
      const r = await cli('check', join(dir, 'noted.yaml'));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('  Deny x/a.\n  note: the source claims more than the manifest does\n  note: a second note\n');
    });

    it('should flag the contradiction of recipe 14 in check output (table and Markdown), passing', async () => {
      const table = await cli('check', 'scenarios/recipes/14-deny-external-egress-traffic.yaml');
      expect(table.code, table.stderr).to.equal(0);
      expect(table.stdout).to.match(/\n {2}note: CONTRADICTION: the recipe's text says the app=foo pod can still connect to the web Service/);
      const md = await cli('check', 'scenarios/recipes/14-deny-external-egress-traffic.yaml', '--reporter', 'markdown');
      expect(md.code, md.stderr).to.equal(0);
      expect(md.stdout).to.match(/\*\*Notes\*\*\n\n- \*\*recipe-14-deny-external-egress-traffic\*\*: CONTRADICTION:/);
    });
  });

  describe('#messages', () => {
    it('should reject an ESC sequence in a name without echoing it raw', async () => {
      await writeFile(join(dir, 'esc.yaml'), (await readFile(OK, 'utf8')).replace('name: deny-x-a', 'name: "deny\\e[2J\\e[31mred"'));
      const r = await cli('check', join(dir, 'esc.yaml'));
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/esc\.yaml:4:9: a string holds the control character U\+001B/);
      expect(r.stderr + r.stdout).to.not.include('\u001b');
    });

    it('should cut a 10 MB value in the message that echoes it', async () => {
      await writeFile(join(dir, 'huge.yaml'), (await readFile(OK, 'utf8')).replace('{ to: x/a,', `{ to: "x/${'a'.repeat(10_000_000)}",`));
      const r = await cli('check', join(dir, 'huge.yaml'));
      expect(r.code).to.equal(2);
      expect(r.stderr.length).to.be.below(5_000);
      expect(r.stderr).to.match(/more characters/);
    });

    it('should reject Calico source ports as bad input (exit 2 at file:line:col), not as an internal error', async () => {
      const calico = ['            apiVersion: projectcalico.org/v3', '            kind: NetworkPolicy', '            metadata: { name: sport, namespace: x }', '            spec:', '              ingress: [{ action: Allow, protocol: TCP, source: { ports: [1024] } }]'].join('\n');
      const text = (await readFile(OK, 'utf8')).replace(/            apiVersion: networking\.k8s\.io\/v1\n[\s\S]*?ingress: \[\]/, calico);
      expect(text).to.include('projectcalico.org/v3');
      await writeFile(join(dir, 'sport.yaml'), text);
      const r = await cli('check', join(dir, 'sport.yaml'));
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/sport\.yaml:16:\d+: source\.ports cannot be evaluated by netseg: a probe's source port is ephemeral/);
      expect(r.stderr).to.not.match(/internal error|please report/i);
    });

    it('should escape control characters of command-line values it echoes', async () => {
      const r = await cli('explain', OK, '--from', 'x/\u001b[2Ja', '--to', 'x/a');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('x/\\x1b[2Ja');
      expect(r.stderr).to.not.include('\u001b');
    });
  });

  // A truth-table row: a pod ref, then cells.
  const ROW = /^\s+[a-z0-9-]+\/[a-z0-9-]+(\s+[.XD?])+\s*$/;
  // The key of a table of one HTTP request's cells ("8080/TCP [POST /orders]": |): each of its symbols is one cell.
  const REQUEST_TABLE = /^\s+"[^"]*\[[^\]]+\]":\s*\|\s*$/;

  /** The row to flip: the first with a blocked or denied cell in a request table, else the first with one in any table. */
  function rowToFlip(lines: readonly string[]): number {
    const flippable = (l: string): boolean => ROW.test(l) && / [XD]/.test(l);
    let inRequestTable = false;
    const inRequest = lines.findIndex((l) => {
      if (/^\s+\S.*:\s*\|\s*$/.test(l)) inRequestTable = REQUEST_TABLE.test(l);
      return inRequestTable && flippable(l);
    });
    return inRequest >= 0 ? inRequest : lines.findIndex(flippable);
  }

  /** `netseg check` of a path: its exit code and the failing cells of each scenario file. */
  async function failsByFile(path: string): Promise<{ code: number | null; fails: Map<string, number> }> {
    const r = await cli('check', path, '--reporter', 'json');
    const report = JSON.parse(r.stdout) as { scenarios: { file: string; counts: { fail: number } }[] };
    return { code: r.code, fails: new Map(report.scenarios.map((s) => [basename(s.file), s.counts.fail])) };
  }

  /**
   * Copies a pack with one blocked or denied cell of each scenario flipped to allowed, checks it: exit 1, exactly that
   * cell failing in each, and none in the unflipped files (every hand-stated cell agrees with the engine).
   */
  async function expectEachFlipToFail(pack: string, count: number): Promise<void> {
    const files = (await readdir(pack)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).to.have.length(count);
    const flipped = await mkdtemp(join(dir, 'flipped-'));
    for (const file of files) {
      const lines = (await readFile(join(pack, file), 'utf8')).split('\n');
      const row = rowToFlip(lines);
      expect(row, file).to.be.greaterThan(0);
      lines[row] = lines[row]!.replace(/^(\s+\S+.*?) [XD]/, '$1 .');
      await writeFile(join(flipped, file), lines.join('\n'));
    }
    const before = await failsByFile(pack);
    const after = await failsByFile(flipped);
    expect(before.code, `${pack} unflipped`).to.equal(0);
    expect(after.code).to.equal(1);
    expect(after.fails.size).to.equal(count);
    for (const file of files) {
      expect(before.fails.get(file), `${file} unflipped`).to.equal(0);
      // Exactly the flipped cell fails: every other hand-stated cell still agrees with the engine.
      expect(after.fails.get(file), file).to.equal(1);
    }
  }

  describe('#the Calico pack', () => {
    it('should fail check (exit 1) when one blocked cell of any of its scenarios is flipped to allowed', async () => {
      await expectEachFlipToFail('scenarios/calico', 8);
    });
  });

  describe('#the ClusterNetworkPolicy pack', () => {
    it('should fail check (exit 1) when one blocked cell of any of its scenarios is flipped to allowed', async () => {
      await expectEachFlipToFail('scenarios/cluster-network-policy', 10);
    });
  });

  describe('#the Cilium pack', () => {
    it('should fail check (exit 1) when one blocked cell of any of its scenarios is flipped to allowed', async () => {
      await expectEachFlipToFail('scenarios/cilium', 5);
    });
  });

  describe('#the L7 pack', () => {
    it('should fail check (exit 1) when one blocked or denied cell of any of its scenarios is flipped to allowed', async () => {
      await expectEachFlipToFail('scenarios/l7', 8);
    });
  });
});

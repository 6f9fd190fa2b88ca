import { expect } from 'chai';
import type { CellKey, ClusterState, ExpectSpec, PeerRef, PodRef, TargetKind } from '../../src/model/index.js';
import { loadScenarioFile, replaySteps, resolveExpectation } from '../../src/scenario/index.js';
import { parseTruthTable } from '../../src/scenario/truth-table.js';

type Declared = Extract<ExpectSpec, { kind: 'declared' }>;

function cell(from: PodRef, to: PeerRef, port = 80, protocol: 'TCP' | 'UDP' = 'TCP', target: TargetKind = 'pod-ip'): CellKey {
  return { from, to, port, protocol, target };
}

describe('resolveExpectation', () => {
  let state: ClusterState;
  before(async () => {
    state = replaySteps(await loadScenarioFile('test/fixtures/scenarios/valid/grid-deny.yaml'))[1]!;
  });

  const base: Declared = { kind: 'declared', default: 'allowed', tables: [], rules: [], checkSelf: false };

  it('should apply default, then tables, then rules with the last matching rule winning', () => {
    const spec: Declared = {
      ...base,
      default: 'blocked',
      tables: [{ port: 80, protocol: 'TCP', columns: ['x/b', 'x/c'], rows: [{ from: 'y/a', cells: ['allowed', 'ignored'] }] }],
      rules: [
        { from: { namespace: 'y' }, to: { namespace: 'x', pod: 'c' }, expect: 'allowed' },
        { from: { namespace: 'y', pod: 'a' }, to: { namespace: 'x', pod: 'c' }, port: 80, expect: 'blocked' },
      ],
    };
    const cells = [cell('y/a', 'x/b'), cell('y/a', 'x/c'), cell('y/b', 'x/c'), cell('z/a', 'x/b'), cell('y/a', 'x/b', 81)];
    const m = resolveExpectation(spec, cells, state);
    expect(cells.map((c) => m.get(c))).to.deep.equal(['allowed', 'blocked', 'allowed', 'blocked', 'blocked']);
  });

  it('should ignore self cells unless checkSelf', () => {
    const spec: Declared = { ...base, default: 'blocked' };
    expect(resolveExpectation(spec, [cell('x/a', 'x/a')], state).get(cell('x/a', 'x/a'))).to.equal('ignored');
    expect(resolveExpectation({ ...spec, checkSelf: true }, [cell('x/a', 'x/a')], state).get(cell('x/a', 'x/a'))).to.equal('blocked');
  });

  it('should expect dns cells allowed unless a target: dns rule says otherwise', () => {
    const dns = cell('x/a', 'kube-system/coredns', 53, 'UDP', 'dns');
    const spec: Declared = { ...base, default: 'blocked', rules: [{ to: {}, expect: 'blocked' }] };
    expect(resolveExpectation(spec, [dns], state).get(dns)).to.equal('allowed');
    const withDns: Declared = { ...spec, rules: [{ from: { namespace: 'x' }, target: 'dns', expect: 'blocked' }] };
    expect(resolveExpectation(withDns, [dns], state).get(dns)).to.equal('blocked');
  });

  it('should match label patterns against the labels in force and externals only by external patterns', () => {
    const spec: Declared = {
      ...base,
      rules: [
        { to: { labels: { app: 'web' } }, expect: 'blocked' },
        { to: { external: '*' }, expect: 'ignored' },
        { from: { namespaceLabels: { team: 'blue' } }, to: { namespace: 'z' }, expect: 'blocked' },
      ],
    };
    const cells = [cell('y/a', 'x/a'), cell('y/a', 'x/b'), cell('y/a', 'external:metadata', 80, 'TCP', 'external'), cell('x/b', 'z/c'), cell('y/b', 'z/c')];
    const m = resolveExpectation(spec, cells, state);
    expect(cells.map((c) => m.get(c))).to.deep.equal(['blocked', 'allowed', 'ignored', 'blocked', 'allowed']);
  });

  it('should apply a table with a target only to cells of that target kind', () => {
    const spec: Declared = { ...base, tables: [{ port: 80, protocol: 'TCP', target: 'service', columns: ['x/b'], rows: [{ from: 'y/a', cells: ['blocked'] }] }] };
    const svc = cell('y/a', 'x/b', 80, 'TCP', 'service');
    const ip = cell('y/a', 'x/b');
    const m = resolveExpectation(spec, [svc, ip], state);
    expect([m.get(svc), m.get(ip)]).to.deep.equal(['blocked', 'allowed']);
  });
});

describe('parseTruthTable', () => {
  const known = (p: string): boolean => ['x/a', 'x/b', 'x/c', 'external:metadata'].includes(p);

  it('should parse a header with a corner token, spaced and compact rows', () => {
    const { table, problems } = parseTruthTable('-   x/a x/b external:metadata\nx/a  .   X   ?\nx/b .X.\n', known);
    expect(problems).to.deep.equal([]);
    expect(table.columns).to.deep.equal(['x/a', 'x/b', 'external:metadata']);
    expect(table.rows).to.deep.equal([
      { from: 'x/a', cells: ['allowed', 'blocked', 'ignored'] },
      { from: 'x/b', cells: ['allowed', 'blocked', 'allowed'] },
    ]);
  });

  it('should report unknown columns, bad symbols, wrong lengths, duplicates and external rows with their line and column', () => {
    const { problems } = parseTruthTable('x/a x/a q/q\nx/a . . Z\nx/b . .\nx/a . . .\nexternal:metadata . . .\n', known);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).to.deep.equal([
      '0:4 column "x/a" appears twice',
      '0:8 column "q/q" names an unknown pod',
      '1:8 "Z" is not a cell symbol (use . allowed, X blocked, D denied, ? don\'t care)',
      '2:0 row "x/b" has 2 cells but the header has 3 columns',
      '3:0 row "x/a" appears twice',
      '4:0 row "external:metadata": this external host is a destination only; declare it "source: true" in topology.externals to probe from it',
    ]);
  });

  it('should take a row of an external source, and name an unknown external row as unknown', () => {
    const isSource = (peer: string) => peer === 'external:browser';
    const knownToo = (peer: string) => known(peer) || peer === 'external:browser';
    const { table, problems } = parseTruthTable('x/a x/b\nexternal:browser . X\nexternal:nope . .\n', knownToo, isSource);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).to.deep.equal(['2:0 row "external:nope" names an unknown external host']);
    expect(table.rows[0]).to.deep.equal({ from: 'external:browser', cells: ['allowed', 'blocked'] });
  });
});

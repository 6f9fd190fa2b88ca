import { expect } from 'chai';
import type { CellReport, PodRef } from '../../../src/model/index.js';
import { renderFlowGraph } from '../../../src/report/html/flow-graph.js';
import { runMixed } from '../fixtures.js';

const base = runMixed().scenarios[0]!.steps[0]!.cells[1]!;

function flow(from: PodRef, to: PodRef, observed: CellReport['observed'], over: Partial<CellReport> = {}): CellReport {
  return { ...base, from, to, observed, expected: observed === 'allowed' ? 'allowed' : 'blocked', status: 'pass', ...over };
}

describe('renderFlowGraph()', () => {
  it('should draw one node per workload and one arrow per allowed flow, none for self or blocked flows', () => {
    const cells = [flow('x/a', 'x/b', 'allowed'), flow('x/a', 'x/b', 'blocked', { port: 81 }), flow('x/b', 'x/a', 'blocked'), flow('x/a', 'x/a', 'allowed'), flow('x/b', 'y/a', 'allowed')];
    const svg = renderFlowGraph('run', cells, 'g');
    expect(svg.match(/<circle /g)).to.have.length(3);
    expect(svg.match(/<path class="e"/g)).to.have.length(2);
    expect(svg).to.include('<title>x/a → x/b allowed</title>');
    expect(svg).to.include('>x</text>');
    expect(svg).to.include('>y</text>');
  });

  it('should draw mismatches in red, dashed when the expected flow is missing', () => {
    const cells = [flow('x/a', 'x/b', 'allowed', { expected: 'blocked', status: 'fail' }), flow('x/b', 'x/a', 'blocked', { expected: 'allowed', status: 'fail' })];
    const svg = renderFlowGraph('run', cells, 'g');
    expect(svg).to.include('<path class="e mm" ');
    expect(svg).to.include('<path class="e mm missing" ');
    expect(svg).to.include('url(#g-m)');
  });

  it('should collapse a large topology to one node per namespace', () => {
    const pods = Array.from({ length: 60 }, (_, i) => `ns${i % 3}/p${i}` as PodRef);
    const cells = pods.map((p, i) => flow(p, pods[(i + 1) % pods.length]!, 'allowed'));
    const svg = renderFlowGraph('run', cells, 'g');
    expect(svg.match(/<circle /g)).to.have.length(3);
    expect(svg).to.include('aria-label="3 namespaces');
  });
});

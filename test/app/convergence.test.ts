import { expect } from 'chai';
import { probeUntilConverged } from '../../src/app/convergence.js';
import type { StepEvaluation } from '../../src/app/step-evaluation.js';
import { CellMap, ExpectedMatrix, type CellKey, type Connectivity, type Explanation } from '../../src/model/index.js';
import type { Observation } from '../../src/probe/observation.js';
import type { Prober } from '../../src/probe/prober.js';
import { FakeClock } from '../fakes/fake-clock.js';

const A: CellKey = { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP' };
const B: CellKey = { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' };
const CELLS = [A, B];

/** Both cells expected (and computed) allowed. */
function evaluation(): StepEvaluation {
  const expected = new ExpectedMatrix();
  const explanations = new CellMap<Explanation>();
  for (const c of CELLS) {
    expected.set(c, 'allowed');
    explanations.set(c, { verdict: 'allowed' } as Explanation);
  }
  return { expected, explanations };
}

/** A prober that answers round i with rounds[i] (the last one repeats): per round, the connectivity of A and B. */
class ScriptedProber implements Prober {
  calls = 0;
  constructor(private readonly rounds: readonly (readonly [Connectivity, Connectivity])[]) {}
  async observe(): Promise<CellMap<Observation>> {
    const [a, b] = this.rounds[Math.min(this.calls++, this.rounds.length - 1)]!;
    const out = new CellMap<Observation>();
    out.set(A, { connectivity: a });
    out.set(B, { connectivity: b });
    return out;
  }
}

async function converge(rounds: ConstructorParameters<typeof ScriptedProber>[0], timeoutMs = 2000, atomicSync = false, evaluated = evaluation()) {
  const clock = new FakeClock();
  const prober = new ScriptedProber(rounds);
  const result = await probeUntilConverged(CELLS, prober, evaluated, { convergeTimeoutMs: timeoutMs, roundIntervalMs: 100, atomicSync }, clock, clock.now());
  return { ...result, calls: prober.calls };
}

describe('convergence', () => {
  describe('#probeUntilConverged()', () => {
    it('should settle and confirm in two rounds when the first round already matches', async () => {
      const r = await converge([['allowed', 'allowed']]);
      expect(r.convergence).to.include({ converged: true, rounds: 2 });
      expect(r.convergence.flapped).to.deep.equal([]);
    });

    it('should take one round on an atomic datapath when the first round agrees with the expectation and the engine', async () => {
      const r = await converge([['allowed', 'allowed']], 2000, true);
      expect(r.convergence).to.include({ converged: true, rounds: 1 });
      expect(r.calls).to.equal(1);
    });

    it('should still confirm on an atomic datapath when the first round has a probe error or matches only one oracle', async () => {
      expect((await converge([['allowed', 'probe-error'], ['allowed', 'allowed']], 2000, true)).convergence).to.include({ converged: true, rounds: 3 });
      // The expectation says allowed, the engine says blocked for B: a round matching the expectation alone is confirmed.
      const disagreeing = evaluation();
      disagreeing.explanations.set(B, { verdict: 'blocked' } as Explanation);
      expect((await converge([['allowed', 'allowed']], 2000, true, disagreeing)).convergence).to.include({ converged: true, rounds: 2 });
    });

    it('should not let one starved confirming round decide: it probes again and confirms the settled result', async () => {
      // Round 2 (the confirmation) sees a timeout on B; rounds 3 and 4 agree again.
      const r = await converge([['allowed', 'allowed'], ['allowed', 'blocked'], ['allowed', 'allowed']]);
      expect(r.convergence).to.include({ converged: true, rounds: 4 });
      expect(r.convergence.flapped).to.deep.equal([]);
      expect(r.observed.get(B)?.connectivity).to.equal('allowed');
    });

    it('should report a datapath that keeps flapping as not converged, bounded by the converge timeout', async () => {
      const flip: [Connectivity, Connectivity][] = [];
      for (let i = 0; i < 200; i++) flip.push(i % 2 === 0 ? ['allowed', 'allowed'] : ['allowed', 'blocked']);
      const r = await converge(flip, 1000);
      expect(r.convergence.converged).to.equal(false);
      expect(r.calls).to.be.below(30);
      expect(r.convergence.rounds).to.equal(r.calls);
    });

    it('should stop at the timeout when nothing settles, with a last confirming round', async () => {
      const r = await converge([['blocked', 'allowed']], 1000);
      expect(r.convergence.converged).to.equal(false);
      expect(r.observed.get(A)?.connectivity).to.equal('blocked');
      expect(r.calls).to.equal(r.convergence.rounds);
    });
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import type { CellKey, PodRef } from '../../src/model/index.js';
import { interleaveByDestination } from '../../src/probe/interleave-by-destination.js';
import type { PlannedJob } from '../../src/probe/plan-jobs.js';

const job = (to: string, port: number): PlannedJob => {
  const key: CellKey = { from: 'x/a', to: to as PodRef, target: 'pod-ip', port, protocol: 'TCP' };
  return { key, job: { kind: 'connect', id: `${to}:${port}`, host: '10.0.0.1', port, protocol: 'TCP', timeoutMs: 1000 } };
};

describe('interleaveByDestination', () => {
  describe('#interleaveByDestination()', () => {
    it('should take one job of each destination in turn, so the jobs of one destination are spread out', () => {
      const jobs = ['x/b', 'y/a', 'y/b'].flatMap((to) => [80, 81, 82].map((p) => job(to, p)));
      expect(interleaveByDestination(jobs).map((j) => j.job.id)).to.deep.equal(['x/b:80', 'y/a:80', 'y/b:80', 'x/b:81', 'y/a:81', 'y/b:81', 'x/b:82', 'y/a:82', 'y/b:82']);
    });

    it('should start at the destination `start` names (modulo their number), so sources spread their first waves', () => {
      const jobs = ['x/b', 'y/a', 'y/b'].flatMap((to) => [80, 81].map((p) => job(to, p)));
      expect(interleaveByDestination(jobs, 1).map((j) => j.job.id)).to.deep.equal(['y/a:80', 'y/b:80', 'x/b:80', 'y/a:81', 'y/b:81', 'x/b:81']);
      expect(interleaveByDestination(jobs, 5).map((j) => j.job.id).slice(0, 3)).to.deep.equal(['y/b:80', 'x/b:80', 'y/a:80']);
    });

    it('should keep every job exactly once, whatever the destinations', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom('x/a', 'x/b', 'y/a', 'z/c'), fc.integer({ min: 1, max: 65535 })), { maxLength: 60 }), (pairs) => {
          const jobs = pairs.map(([to, p], i) => ({ ...job(to, p), job: { ...job(to, p).job, id: String(i) } }));
          const out = interleaveByDestination(jobs, pairs.length);
          expect(out.map((j) => j.job.id).sort()).to.deep.equal(jobs.map((j) => j.job.id).sort());
        }),
      );
    });
  });
});

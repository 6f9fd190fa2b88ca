import { expect } from 'chai';
import { OrderedProgress } from '../../src/app/ordered-progress.js';
import type { Progress } from '../../src/app/progress.js';

function recorder(): { progress: Progress; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    progress: {
      info: (m) => lines.push(`info ${m}`),
      stepStarted: (s, st, i, n) => lines.push(`step ${s} ${st} ${i}/${n}`),
      round: (r) => lines.push(`round ${r}`),
      stepDone: (m) => lines.push(`done ${m}`),
    },
  };
}

describe('OrderedProgress', () => {
  describe('#lane()', () => {
    it('should print the first scenario live and hold the others back until their turn', () => {
      const { progress, lines } = recorder();
      const ordered = new OrderedProgress(progress);
      const [a, b, c] = [ordered.lane(0), ordered.lane(1), ordered.lane(2)];
      c.info('c1');
      b.info('b1');
      a.info('a1');
      expect(lines).to.deep.equal(['info a1']);
      b.stepStarted('b', 'st', 0, 1);
      c.stepDone('c2');
      ordered.finish(2);
      expect(lines).to.deep.equal(['info a1']);
      ordered.finish(0);
      // b is now the head: its held lines come out, and it prints live from here on.
      expect(lines).to.deep.equal(['info a1', 'info b1', 'step b st 0/1']);
      b.info('b2');
      ordered.finish(1);
      expect(lines).to.deep.equal(['info a1', 'info b1', 'step b st 0/1', 'info b2', 'info c1', 'done c2']);
    });

    it('should pass rounds of the head through and drop those of held-back scenarios', () => {
      const { progress, lines } = recorder();
      const ordered = new OrderedProgress(progress);
      ordered.lane(1).round(7, 0, 0);
      ordered.lane(0).round(3, 0, 0);
      ordered.finish(0);
      expect(lines).to.deep.equal(['round 3']);
    });
  });
});

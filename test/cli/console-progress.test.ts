import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { ConsoleProgress } from '../../src/cli/console-progress.js';

/** A stream that looks like a terminal of `columns` columns (or a pipe) and keeps every write. */
function terminal(columns: number | undefined, isTTY = true) {
  const writes: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY, columns });
  stream.on('data', (c: Buffer) => writes.push(c.toString()));
  return { stream, writes };
}

/** The visible text of each status redraw (what follows the carriage return and erase-line). */
function redraws(writes: readonly string[]): string[] {
  return writes.filter((w) => w.startsWith('\r\x1b[2K') && w.length > 5).map((w) => w.slice(5));
}

const LONG = `recipe-07-allow-traffic-from-some-pods-in-another-namespace-${'x'.repeat(60)}`;

describe('ConsoleProgress', () => {
  describe('#round()', () => {
    it('should cut every redraw of the status line to the terminal width so it never wraps', async () => {
      const { stream, writes } = terminal(80);
      const progress = new ConsoleProgress(stream);
      progress.stepStarted(LONG, 'allow from pods labelled role=frontend in namespaces labelled team=blue', 0, 3);
      progress.round(1, 12, 1500);
      progress.round(2, 0, 3100);
      await new Promise((r) => setImmediate(r));
      const shown = redraws(writes);
      expect(shown).to.have.length(3);
      for (const line of shown) expect(Array.from(line).length, line).to.be.at.most(79);
      expect(shown[0]).to.match(/^recipe-07-allow-traffic.*…$/);
    });

    it('should follow a terminal resized between redraws', async () => {
      const { stream, writes } = terminal(120);
      const progress = new ConsoleProgress(stream);
      progress.stepStarted(LONG, 'step', 0, 1);
      stream.columns = 40;
      progress.round(1, 0, 100);
      await new Promise((r) => setImmediate(r));
      expect(redraws(writes).map((l) => Array.from(l).length)).to.deep.equal([119, 39]);
    });

    it('should escape control characters in the status line', async () => {
      const { stream, writes } = terminal(80);
      new ConsoleProgress(stream).stepStarted('s\u001b[2J', 'step', 0, 1);
      await new Promise((r) => setImmediate(r));
      expect(redraws(writes)[0]).to.equal('s\\x1b[2J: step 1/1 "step"');
    });
  });

  describe('#stepStarted()', () => {
    it('should print whole lines, uncut, when stderr is not a terminal', async () => {
      const { stream, writes } = terminal(undefined, false);
      new ConsoleProgress(stream).stepStarted(LONG, 'step', 0, 1);
      await new Promise((r) => setImmediate(r));
      expect(writes.join('')).to.equal(`${LONG}: step 1/1 "step"\n`);
    });
  });
});

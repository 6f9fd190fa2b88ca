import { expect } from 'chai';
import { PassThrough, Writable } from 'node:stream';
import { GoneReaderOutput } from '../../src/cli/gone-reader-output.js';
import { runCli } from '../../src/cli/program.js';

/** A stdout whose reader has gone: every write fails with EPIPE, as a pipe to an exited `head` does. */
function brokenPipe(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' })) });
}

async function cliInto(stdout: NodeJS.WritableStream, ...argv: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  const err: string[] = [];
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await runCli(argv, { stdout, stderr, signal: new AbortController().signal });
  return { code, stderr: err.join('') };
}

describe('GoneReaderOutput', () => {
  describe('#_write()', () => {
    it('should drop writes after EPIPE so the command keeps its own exit code', async () => {
      expect(await cliInto(brokenPipe(), 'plan', 'test/fixtures/cli/ok.yaml', '-o', 'ndjson')).to.deep.equal({ code: 0, stderr: '' });
      const wrong = await cliInto(brokenPipe(), 'check', 'test/fixtures/cli/wrong.yaml');
      expect(wrong.code).to.equal(1);
      expect(wrong.stderr).not.to.match(/internal error/);
    });

    it('should pass other write errors on', async () => {
      const failing = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error('write EIO'), { code: 'EIO' })) });
      const out = new GoneReaderOutput(failing);
      out.on('error', () => {});
      const error = await new Promise<Error | null | undefined>((resolve) => out.write('x', resolve));
      expect(error).to.have.property('code', 'EIO');
      expect(out.readerGone).to.equal(false);
    });

    it('should forward everything in order while the reader reads', async () => {
      const target = new PassThrough();
      const seen: string[] = [];
      target.on('data', (c: Buffer) => seen.push(c.toString()));
      const out = new GoneReaderOutput(target);
      for (let i = 0; i < 100; i++) out.write(`${i}\n`);
      await out.drained();
      expect(seen.join('')).to.equal(Array.from({ length: 100 }, (_, i) => `${i}\n`).join(''));
    });
  });
});

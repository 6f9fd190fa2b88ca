import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { readFirstLine } from '../../src/agent/read-first-line.js';

describe('readFirstLine', () => {
  it('should resolve at the first newline although the stream stays open (pre-v5 exec stdin)', async () => {
    const stdin = new PassThrough();
    const line = readFirstLine(stdin, 1024);
    stdin.write('{"jobs":');
    stdin.write('[]}\n{"ignored":true}');
    expect(await line).to.equal('{"jobs":[]}');
    stdin.destroy();
  });

  it('should resolve with everything at the end of a stream without newline', async () => {
    const stdin = new PassThrough();
    const line = readFirstLine(stdin, 1024);
    stdin.end('{"jobs":[]}');
    expect(await line).to.equal('{"jobs":[]}');
  });

  it('should reject a line longer than the bound instead of buffering it', async () => {
    const stdin = new PassThrough();
    const line = readFirstLine(stdin, 8);
    stdin.write('0123456789');
    await line.then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.match(/more than 8 bytes/));
    stdin.destroy();
  });
});

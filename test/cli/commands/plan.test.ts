import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/program.js';

async function plan(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await runCli(['plan', ...argv], { stdout, stderr, signal: new AbortController().signal });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('netseg plan', () => {
  describe('-o ndjson', () => {
    it('should print the records of -o json one per line', async () => {
      const json = await plan('test/fixtures/cli/ok.yaml', '-o', 'json');
      const ndjson = await plan('test/fixtures/cli/ok.yaml', '-o', 'ndjson');
      expect(ndjson.code, ndjson.stderr).to.equal(0);
      const lines = ndjson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines).to.deep.equal(JSON.parse(json.stdout).records);
    });

    it('should exit 2 on an unknown format naming the three', async () => {
      const r = await plan('test/fixtures/cli/ok.yaml', '-o', 'yaml');
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/table, json or ndjson/);
    });
  });
});

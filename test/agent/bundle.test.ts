import { expect } from 'chai';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeBatchResult } from '../../src/agent/protocol.js';
import { spawn } from 'node:child_process';
import { agentBundle, closedTcpPort, REPO, runToCompletion, startAgent, stopChild, tempDir } from './agent-test-support.js';

describe('agent bundle', () => {
  let standalone: string;
  let dir: string;

  before(async function () {
    this.timeout(30_000);
    dir = tempDir();
    standalone = join(dir, 'netseg-agent.mjs');
    copyFileSync(await agentBundle(), standalone);
  });

  it('should be one file that bundles dns-packet instead of requiring it', () => {
    const source = readFileSync(standalone, 'utf8');
    expect(source).not.to.match(/require\(["']dns-packet["']\)|from ["']dns-packet["']/);
    expect(source).not.to.match(/from ["']\.\.?\//);
  });

  it('should print its version with plain node from a directory without node_modules', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const run = await runToCompletion([standalone, 'version'], { cwd: dir, env: { NODE_PATH: '', NODE_OPTIONS: '' } });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(`netseg-agent ${version}\n`);
  });

  it('should serve and probe TCP and UDP from the standalone copy', async () => {
    const agent = await startAgent(['serve', '--identity', 'x/a', '--listen', '0/TCP,0/UDP', '--host', '127.0.0.1'], { cwd: dir, env: { NODE_OPTIONS: '' } });
    try {
      const jobs = agent.ready.listen.map((p) => ({ kind: 'connect', id: p.protocol, host: '127.0.0.1', port: p.port, protocol: p.protocol, timeoutMs: 1000, expectIdentity: 'x/a' }));
      const run = await runToCompletion([standalone, 'probe', '--batch', JSON.stringify({ concurrency: 2, jobs })], { cwd: dir, env: { NODE_OPTIONS: '' } });
      expect(run.code, run.stderr).to.equal(0);
      const result = JSON.parse(run.stdout) as ProbeBatchResult;
      expect(result.results.map((r) => [r.id, r.outcome, r.identity])).to.deep.equal([
        ['TCP', 'connected', 'x/a'],
        ['UDP', 'connected', 'x/a'],
      ]);
    } finally {
      await stopChild(agent.child);
    }
  });

  it('should keep serving with nothing to listen on and no control socket until asked to stop (an external host without ports)', async () => {
    const agent = await startAgent(['serve', '--identity', 'external:web', '--listen', '', '--host', '127.0.0.1'], { cwd: dir, env: { NODE_OPTIONS: '' } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(agent.child.exitCode, agent.stderr()).to.equal(null);
      agent.child.kill('SIGTERM');
      expect(await agent.exited(), agent.stderr()).to.equal(0);
    } finally {
      await stopChild(agent.child);
    }
  });

  it('should run a 10,000-job batch read as one stdin line while stdin stays open, as an exec before v5 leaves it', async function () {
    this.timeout(60_000);
    const port = await closedTcpPort();
    const jobs = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'connect', id: `j${i}`, host: '127.0.0.1', port, protocol: 'TCP', timeoutMs: 5000 }));
    const json = JSON.stringify({ concurrency: 256, jobs });
    expect(Buffer.byteLength(json), 'far above the 128 KiB per-argument limit').to.be.greaterThan(512 * 1024);
    const child = spawn(process.execPath, [standalone, 'probe'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.write(`${json}\n`);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).to.equal(0);
    const result = JSON.parse(stdout) as ProbeBatchResult;
    expect(result.results).to.have.length(10_000);
    expect(new Set(result.results.map((r) => r.outcome))).to.deep.equal(new Set(['refused']));
  });
});

import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../../../src/model/index.js';
import { NetnsProvider } from '../../../src/providers/netns/netns-provider.js';
import { FakeRunner } from './fake-runner.js';
import { gridTopology, policy } from './fixtures.js';

describe('NetnsProvider', () => {
  let runDir: string;
  let runner: FakeRunner;
  const bundle = new URL(import.meta.url).pathname; // any existing file
  beforeEach(() => {
    runDir = mkdtempSync(join(tmpdir(), 'netseg-unit-'));
    runner = new FakeRunner();
  });
  afterEach(() => rmSync(runDir, { recursive: true, force: true }));

  describe('#preflight()', () => {
    it('should require root, saying how to run', async () => {
      const err = await new NetnsProvider({ runner, uid: 1000, agentBundle: bundle }).preflight().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect((err as EnvironmentError).hint).to.match(/sudo/);
    });

    it('should name the missing tool and how to install it', async () => {
      runner.respond = (line) => (line.startsWith('nft') ? new Error('spawn nft ENOENT') : {});
      const err = (await new NetnsProvider({ runner, uid: 0, agentBundle: bundle }).preflight().catch((e: unknown) => e)) as EnvironmentError;
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err.message).to.match(/`nft` is not available/);
      expect(err.hint).to.match(/apt-get install -y iproute2 nftables/);
    });

    it('should ask for a build when the agent bundle is missing', async () => {
      const err = (await new NetnsProvider({ runner, uid: 0, agentBundle: '/nonexistent/agent.mjs' }).preflight().catch((e: unknown) => e)) as EnvironmentError;
      expect(err.hint).to.match(/npm run build/);
    });

    it('should refuse a NETSEG_NETNS_AGENT_HUBS that is not a count, saying how to unset it', async () => {
      process.env.NETSEG_NETNS_AGENT_HUBS = 'many';
      try {
        const err = (await new NetnsProvider({ runner, uid: 0, agentBundle: bundle }).preflight().catch((e: unknown) => e)) as EnvironmentError;
        expect(err).to.be.instanceOf(EnvironmentError);
        expect(err.message).to.match(/NETSEG_NETNS_AGENT_HUBS must be an integer 0-64, got "many"/);
      } finally {
        delete process.env.NETSEG_NETNS_AGENT_HUBS;
      }
    });

    it('should pass when root, tools and bundle are there', async () => {
      await new NetnsProvider({ runner, uid: 0, agentBundle: bundle }).preflight();
    });
  });

  describe('#provision()', () => {
    async function deployed(options: { enforce?: boolean; agentHubs?: number } = {}) {
      const env = await new NetnsProvider({ runner, agentBundle: bundle, nodePath: '/node', ...options }).provision({ runId: 'u1', runDir, log: () => {} });
      const scenario = await env.deploy(gridTopology({ namespaces: ['x'], pods: ['a', 'b'] }));
      return { env, scenario };
    }

    it('should build everything with a handful of commands, creating nothing but namespaces in the host namespace', async () => {
      await deployed();
      const lines = runner.lines();
      expect(lines[0]).to.equal('ip -batch -');
      expect(runner.calls[0]?.input).to.match(/^(netns add netseg-u1-\S+\n)+$/);
      expect(lines.filter((l) => !l.startsWith('ip -n netseg-u1-node ') && !l.startsWith('ip netns exec netseg-u1-node ') && l !== 'sh -e -s').slice(1)).to.deep.equal([]);
      expect(lines.length).to.equal(1 + 1 + 1 + 1 + 1); // namespaces, sysctl, node, one shell for the 3 hosts, nft
      expect(runner.calls.find((c) => c.file === 'sh')?.input).to.match(/^ip -n netseg-u1-p0 -batch - <<'NETSEG_EOF'\nlink set lo up\n/);
      // The DNS pod's agent, then one hub (in the run's empty hub namespace) for the two pods.
      expect(runner.spawned.map((s) => s.args.slice(0, 4).join(' '))).to.deep.equal(['netns exec netseg-u1-p2 /node', 'netns exec netseg-u1-hub /node']);
      expect(runner.calls[0]?.input).to.contain('netns add netseg-u1-hub\n');
    });

    it('should start one agent per host inside its namespace with agentHubs: 0, and no hub namespace', async () => {
      await deployed({ agentHubs: 0 });
      expect(runner.spawned.map((s) => s.args.slice(0, 4).join(' '))).to.deep.equal(['netns exec netseg-u1-p0 /node', 'netns exec netseg-u1-p1 /node', 'netns exec netseg-u1-p2 /node']);
      expect(runner.calls[0]?.input).not.to.contain('hub');
    });

    it('should replace the ruleset in one nft transaction per sync', async () => {
      const { scenario } = await deployed();
      const topology = gridTopology({ namespaces: ['x'], pods: ['a', 'b'] });
      await scenario.sync({ topology, policies: [policy('x', 'deny', { podSelector: {}, ingress: [] })] });
      const last = runner.calls.at(-1);
      expect(last?.args).to.deep.equal(['netns', 'exec', 'netseg-u1-node', 'nft', '-f', '-']);
      expect(last?.input).to.match(/^table inet netseg_u1 \{\}\ndelete table inet netseg_u1\ntable inet netseg_u1 \{/);
      expect(last?.input).to.contain('ct mark 2 accept').and.contain('jump in_10_244_0_1');
    });

    it('should install no filter when enforcement is off', async () => {
      const { env, scenario } = await deployed({ enforce: false });
      await scenario.sync({ topology: gridTopology({ namespaces: ['x'], pods: ['a', 'b'] }), policies: [policy('x', 'deny', { podSelector: {}, ingress: [] })] });
      expect(runner.calls.at(-1)?.input).to.not.contain('jump');
      expect(env.description).to.contain('enforcement OFF');
    });

    it('should tear down once even when disposed twice concurrently', async () => {
      const { env } = await deployed();
      await Promise.all([env[Symbol.asyncDispose](), env[Symbol.asyncDispose]()]);
      await env[Symbol.asyncDispose]();
      const deletes = runner.calls.filter((c) => c.input?.startsWith('netns del'));
      expect(deletes).to.have.length(1);
      expect(deletes[0]?.input).to.equal(['node', 'hub', 'p0', 'p1', 'p2'].map((n) => `netns del netseg-u1-${n}`).join('\n') + '\n');
      expect(runner.spawned.every((s) => s.killed.includes('SIGTERM'))).to.equal(true);
      expect(existsSync(join(runDir, 'netns'))).to.equal(false);
      await env.deploy(gridTopology()).then(
        () => expect.fail('deploy after dispose'),
        (e: Error) => expect(e.message).to.match(/disposed/),
      );
    });

    it('should undo a half-made deployment when bring-up fails', async () => {
      runner.respond = (line) => (line.startsWith('ip -n netseg-u1-node') ? { exitCode: 2, stderr: 'RTNETLINK answers: File exists' } : {});
      const env = await new NetnsProvider({ runner: { run: (f, a, o) => runner.run(f, a, o).then((r) => { if (r.exitCode !== 0) throw new Error(r.stderr); return r; }), spawn: (f, a, o) => runner.spawn(f, a, o) }, agentBundle: bundle }).provision({ runId: 'u1', runDir, log: () => {} });
      const err = await env.deploy(gridTopology()).catch((e: Error) => e);
      expect(String(err)).to.contain('File exists');
      expect(runner.calls.some((c) => c.input?.includes('netns del netseg-u1-node'))).to.equal(true);
    });

    it('should tell how to enter a pod', async () => {
      const { scenario } = await deployed();
      expect(scenario.enterHint('x/b')).to.equal('sudo ip netns exec netseg-u1-p1 bash');
    });
  });
});

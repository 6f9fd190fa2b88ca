import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../../../src/model/index.js';
import { createK3sProvider, K3S_IMAGE } from '../../../src/providers/k3s/k3s-provider.js';
import { pingRuntime, runtimeEndpoints } from '../../../src/providers/k3s/runtime-socket.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeKubeApi } from '../../fakes/fake-kube-api.js';

describe('createK3sProvider()', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'netseg-k3s-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A unix socket answering like a runtime (or not). */
  async function socketServer(reply: string | undefined): Promise<{ path: string; server: Server }> {
    const path = join(dir, 'runtime.sock');
    const server = createServer((s) => s.on('data', () => (reply === undefined ? undefined : s.end(reply))));
    await new Promise<void>((r) => server.listen(path, r));
    return { path, server };
  }

  describe('#preflight()', () => {
    it('should fail quickly with EnvironmentError when no runtime socket exists (as on this machine)', async () => {
      const p = createK3sProvider({ endpoints: () => [{ kind: 'unix', path: join(dir, 'missing.sock') }] });
      const err = await p.preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.contain('no container runtime is reachable for k3s');
      expect(err!.hint).to.match(/start Docker/);
    });

    it('should not hang on a socket that never answers', async () => {
      const { path, server } = await socketServer(undefined);
      const started = Date.now();
      expect(await pingRuntime({ kind: 'unix', path }, 300)).to.equal(false);
      expect(Date.now() - started).to.be.below(2000);
      server.close();
    });

    it('should pass when a Docker-API runtime answers /_ping', async () => {
      const { path, server } = await socketServer('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK');
      writeFileSync(join(dir, 'agent.mjs'), '//');
      await createK3sProvider({ endpoints: () => [{ kind: 'unix', path }], agentBundle: join(dir, 'agent.mjs') }).preflight();
      server.close();
    });

    it('should fail when the agent bundle is missing, before anything starts', async () => {
      const { path, server } = await socketServer('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK');
      const err = await createK3sProvider({ endpoints: () => [{ kind: 'unix', path }], agentBundle: join(dir, 'missing.mjs') }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      server.close();
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.match(/probe agent bundle was not found/);
    });

    it('should honour DOCKER_HOST', () => {
      expect(runtimeEndpoints({ DOCKER_HOST: 'unix:///tmp/d.sock' })).to.deep.equal([{ kind: 'unix', path: '/tmp/d.sock' }]);
      expect(runtimeEndpoints({ DOCKER_HOST: 'tcp://127.0.0.1:2376' })).to.deep.equal([{ kind: 'tcp', host: '127.0.0.1', port: 2376 }]);
    });
  });

  describe('#provision()', () => {
    const agent = () => {
      writeFileSync(join(dir, 'agent.mjs'), '//');
      return join(dir, 'agent.mjs');
    };

    it('should start the pinned k3s image, write a private kubeconfig, run the canary and stop the container on dispose', async () => {
      const started: string[] = [];
      let stopped = 0;
      const api = new FakeKubeApi({ enforce: true });
      const p = createK3sProvider({ agentBundle: agent(), clock: new FakeClock(), kubeApiFactory: () => api, startCluster: async (image) => (started.push(image), { kubeconfig: 'apiVersion: v1\nkind: Config\n', stop: async () => void stopped++ }) });
      const env = await p.provision({ runId: 'r1', runDir: dir, log: () => {} });
      expect(started).to.deep.equal([K3S_IMAGE]);
      expect(K3S_IMAGE).to.match(/^rancher\/k3s:v\d+\.\d+\.\d+-k3s\d+$/);
      expect(readFileSync(join(dir, 'kubeconfig'), 'utf8')).to.contain('kind: Config');
      expect(api.callsOf('exec')).to.have.length(2);
      await env[Symbol.asyncDispose]();
      expect(stopped).to.equal(1);
    });

    it('should declare NetworkPolicy only, saying that kube-router has no ClusterNetworkPolicy', async () => {
      const api = new FakeKubeApi({ enforce: true });
      const p = createK3sProvider({ agentBundle: agent(), clock: new FakeClock(), kubeApiFactory: () => api, startCluster: async () => ({ kubeconfig: 'apiVersion: v1\nkind: Config\n', stop: async () => {} }) });
      const env = await p.provision({ runId: 'r1', runDir: dir, log: () => {}, policyKinds: new Set(['NetworkPolicy', 'ClusterNetworkPolicy'] as const) });
      expect(env.capabilities.policyKinds).to.deep.equal(['NetworkPolicy']);
      expect(env.capabilities.whyNotEnforced?.ClusterNetworkPolicy).to.match(/kube-router\) implements NetworkPolicy only/);
      await env[Symbol.asyncDispose]();
    });

    it('should stop the container when the cluster does not enforce NetworkPolicy', async () => {
      let stopped = 0;
      const p = createK3sProvider({ agentBundle: agent(), clock: new FakeClock(), kubeApiFactory: () => new FakeKubeApi({ enforce: false }), startCluster: async () => ({ kubeconfig: 'x', stop: async () => void stopped++ }) });
      const err = await p.provision({ runId: 'r1', runDir: dir, log: () => {} }).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.match(/does not enforce NetworkPolicy/);
      expect(stopped).to.equal(1);
    });

    it('should not start k3s when the agent bundle is missing (the container would leak)', async () => {
      let started = 0;
      const p = createK3sProvider({ agentBundle: join(dir, 'missing.mjs'), clock: new FakeClock(), kubeApiFactory: () => new FakeKubeApi(), startCluster: async () => (started++, { kubeconfig: 'x', stop: async () => {} }) });
      const err = await p.provision({ runId: 'r1', runDir: dir, log: () => {} }).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(started).to.equal(0);
    });

    it('should turn a container start failure into EnvironmentError', async () => {
      const p = createK3sProvider({ agentBundle: agent(), startCluster: async () => { throw new Error('Could not find a working container runtime strategy'); } });
      const err = await p.provision({ runId: 'r1', runDir: dir, log: () => {} }).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.match(/could not start k3s .*container runtime strategy/);
    });
  });
});

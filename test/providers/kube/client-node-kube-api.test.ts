import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientNodeKubeApi } from '../../../src/providers/kube/client-node-kube-api.js';
import { closeLoopback, listenOnLoopback } from '../../fakes/loopback-listener.js';

/**
 * A loopback stand-in for an API server (tests only): enough discovery, REST and the exec websocket
 * (v4.channel.k8s.io framing: one channel byte, then data) to drive the real client-node code.
 */
class LoopbackApiServer {
  readonly requests: { method: string; url: string; contentType?: string; body: string }[] = [];
  /** TCP connections accepted (keep-alive shows as fewer connections than requests). */
  connections = 0;
  execBehaviour: (ws: WebSocket, url: URL) => void = () => {};
  /** The exec subprotocol this server speaks (a real one picks the newest both sides know). */
  protocol = 'v4.channel.k8s.io';
  readonly #http: Server;
  readonly #wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has(this.protocol) ? this.protocol : false) });

  constructor() {
    this.#http = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}), body });
        const [status, payload] = this.#route(req, body);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      });
    });
    this.#http.on('connection', () => this.connections++);
    this.#http.on('upgrade', (req: IncomingMessage, socket, head) => {
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.execBehaviour(ws, new URL(req.url ?? '/', 'http://x')));
    });
  }

  start(): Promise<string> {
    return listenOnLoopback(this.#http);
  }

  stop(): Promise<void> {
    return closeLoopback(this.#http, this.#wss);
  }

  #route(req: IncomingMessage, body: string): [number, unknown] {
    const url = new URL(req.url ?? '/', 'http://x');
    const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' };
    if (url.pathname === '/api/v1') {
      return [200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [
        { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list', 'patch', 'delete'] },
        { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'patch', 'delete'] },
      ] }];
    }
    if (url.pathname === '/apis/networking.k8s.io/v1') {
      return [200, { kind: 'APIResourceList', groupVersion: 'networking.k8s.io/v1', resources: [
        { name: 'networkpolicies', singularName: 'networkpolicy', namespaced: true, kind: 'NetworkPolicy', verbs: ['get', 'list', 'patch', 'delete'] },
      ] }];
    }
    if (url.pathname === '/apis/policy.networking.k8s.io/v1alpha2') {
      return [200, { kind: 'APIResourceList', groupVersion: 'policy.networking.k8s.io/v1alpha2', resources: [
        { name: 'clusternetworkpolicies', singularName: 'clusternetworkpolicy', namespaced: false, kind: 'ClusterNetworkPolicy', verbs: ['get', 'list', 'patch', 'delete'] },
      ] }];
    }
    if (req.method === 'PATCH') return [200, JSON.parse(body)];
    if (req.method === 'DELETE' && url.pathname === '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies/r1-1-guard') return [200, { kind: 'Status', apiVersion: 'v1', status: 'Success' }];
    if (req.method === 'GET' && url.pathname === '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies') {
      return [200, { kind: 'ClusterNetworkPolicyList', apiVersion: 'policy.networking.k8s.io/v1alpha2', metadata: {}, items: [{ metadata: { name: 'r1-1-guard', labels: { 'netseg.io/run-id': 'r1' } } }] }];
    }
    if (url.pathname.endsWith('/missing')) return [404, notFound];
    if (req.method === 'GET' && url.pathname === '/api/v1/namespaces/x/pods') {
      return [200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'a', namespace: 'x', labels: { pod: 'a' } }, status: { podIP: '10.244.0.5' } }] }];
    }
    return [404, notFound];
  }
}

function frame(channel: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);
}

describe('ClientNodeKubeApi (against a loopback API server)', () => {
  let server: LoopbackApiServer;
  let api: ClientNodeKubeApi;
  beforeEach(async () => {
    server = new LoopbackApiServer();
    const url = await server.start();
    const kubeconfig = `apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: c\n  cluster: { server: "${url}", insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: t0k }\ncontexts:\n- name: t\n  context: { cluster: c, user: u }\n`;
    api = ClientNodeKubeApi.fromString(kubeconfig, 'test', 't', { requestTimeoutMs: 5000 });
  });
  afterEach(() => server.stop());

  describe('#apply()', () => {
    it('should send a forced server-side apply with field manager netseg', async () => {
      await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'r1-1-x', labels: { 'netseg.io/run-id': 'r1' } } });
      const patch = server.requests.find((r) => r.method === 'PATCH')!;
      expect(patch.contentType).to.equal('application/apply-patch+yaml');
      const url = new URL(patch.url, 'http://x');
      expect(url.pathname).to.equal('/api/v1/namespaces/r1-1-x');
      expect(url.searchParams.get('fieldManager')).to.equal('netseg');
      expect(url.searchParams.get('force')).to.equal('true');
      expect(JSON.parse(patch.body).metadata.labels).to.deep.equal({ 'netseg.io/run-id': 'r1' });
    });
  });

  describe('#apply() of a NetworkPolicy', () => {
    it('should send ingress `from` peers and ipBlock excepts as written (client-node models name `from` `_from`)', async () => {
      const ingress = [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80, protocol: 'TCP' }] }];
      await api.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec: { podSelector: { matchLabels: { pod: 'a' } }, ingress } });
      const patch = server.requests.find((r) => r.method === 'PATCH')!;
      expect(JSON.parse(patch.body).spec.ingress).to.deep.equal(ingress);
    });
  });

  describe('ClusterNetworkPolicy (a cluster-scoped custom resource)', () => {
    const ref = { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', name: 'r1-1-guard' };
    const spec = {
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: { matchExpressions: [{ key: 'netseg.io/run-id', operator: 'In', values: ['r1'] }] } },
      ingress: [{ name: 'no-y', action: 'Deny', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'r1-1-y' } } }] }],
      egress: [{ action: 'Accept', to: [{ networks: ['10.0.0.0/8'] }], protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 90 } } } }, { destinationNamedPort: 'http' }] }],
    };

    it('should apply it at the cluster-scoped path with every field as written', async () => {
      await api.apply({ ...ref, metadata: { name: ref.name, labels: { 'netseg.io/run-id': 'r1' } }, spec });
      const patch = server.requests.find((r) => r.method === 'PATCH')!;
      expect(new URL(patch.url, 'http://x').pathname).to.equal('/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies/r1-1-guard');
      expect(patch.contentType).to.equal('application/apply-patch+yaml');
      expect(JSON.parse(patch.body)).to.deep.include({ apiVersion: ref.apiVersion, kind: ref.kind, spec });
    });

    it('should delete it and list it by label selector without a namespace in the path', async () => {
      expect(await api.delete(ref)).to.equal(true);
      const listed = await api.list(ref.apiVersion, ref.kind, { labelSelector: 'netseg.io/run-id=r1' });
      expect(listed.map((o) => [o.kind, o.metadata.name])).to.deep.equal([['ClusterNetworkPolicy', 'r1-1-guard']]);
      const list = server.requests.find((r) => r.method === 'GET' && r.url.includes('labelSelector'))!;
      expect(new URL(list.url, 'http://x').pathname).to.equal('/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies');
    });
  });

  describe('#patchLabels()', () => {
    it('should send a JSON merge patch with null for removed labels', async () => {
      await api.patchLabels({ apiVersion: 'v1', kind: 'Pod', name: 'a', namespace: 'x' }, { app: 'web', pod: null });
      const patch = server.requests.find((r) => r.method === 'PATCH')!;
      expect(patch.contentType).to.equal('application/merge-patch+json');
      expect(JSON.parse(patch.body).metadata.labels).to.deep.equal({ app: 'web', pod: null });
    });
  });

  describe('#read() / #delete() / #list()', () => {
    it('should return undefined / false for absent objects, and list with a label selector', async () => {
      expect(await api.read({ apiVersion: 'v1', kind: 'Pod', name: 'missing', namespace: 'x' })).to.equal(undefined);
      expect(await api.delete({ apiVersion: 'v1', kind: 'Pod', name: 'missing', namespace: 'x' })).to.equal(false);
      const pods = await api.list('v1', 'Pod', { namespace: 'x', labelSelector: 'netseg.io/run-id=r1' });
      expect(pods.map((p) => [p.kind, p.metadata.name])).to.deep.equal([['Pod', 'a']]);
      const list = server.requests.find((r) => r.method === 'GET' && new URL(r.url, 'http://x').pathname === '/api/v1/namespaces/x/pods')!;
      expect(new URL(list.url, 'http://x').searchParams.get('labelSelector')).to.equal('netseg.io/run-id=r1');
    });
  });

  describe('connections', () => {
    it('should reuse one keep-alive connection across API calls instead of one per call', async () => {
      const read = () => api.read({ apiVersion: 'v1', kind: 'Pod', name: 'missing', namespace: 'x' });
      await read(); // discovery and the first call warm the pool
      const warm = server.connections;
      for (let i = 0; i < 5; i++) await read();
      expect(server.requests.filter((r) => r.url.includes('/missing'))).to.have.length(6);
      expect(server.connections - warm, 'new connections for 5 more calls').to.equal(0);
    });
  });

  describe('#exec()', () => {
    const request = { namespace: 'x', pod: 'a', container: 'agent', command: ['node', 'agent.mjs', 'probe', '--batch', '{"jobs":[]}'], timeoutMs: 3000 };

    it('should collect stdout and resolve with exit 0 on a Success status, passing the command as query parameters', async () => {
      let seen: URL | undefined;
      server.execBehaviour = (ws, url) => {
        seen = url;
        ws.send(frame(1, '{"results":'));
        ws.send(frame(1, '[]}'));
        ws.send(frame(3, JSON.stringify({ status: 'Success' })));
        ws.close();
      };
      const r = await api.exec(request);
      expect(r).to.deep.equal({ exitCode: 0, stdout: '{"results":[]}', stderr: '' });
      expect(seen!.pathname).to.equal('/api/v1/namespaces/x/pods/a/exec');
      expect(seen!.searchParams.getAll('command')).to.deep.equal(request.command);
      expect(seen!.searchParams.get('container')).to.equal('agent');
    });

    it('should resolve with the exit code of a NonZeroExitCode status, with stderr', async () => {
      server.execBehaviour = (ws) => {
        ws.send(frame(2, 'bad batch'));
        ws.send(frame(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })));
        ws.close();
      };
      expect(await api.exec(request)).to.deep.equal({ exitCode: 3, stdout: '', stderr: 'bad batch' });
    });

    it('should reject on a Failure status without an exit code (infrastructure failure)', async () => {
      server.execBehaviour = (ws) => {
        ws.send(frame(3, JSON.stringify({ status: 'Failure', message: 'container not found ("agent")' })));
        ws.close();
      };
      await api.exec(request).then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.match(/container not found/));
    });

    it('should reject when the connection closes without a status', async () => {
      server.execBehaviour = (ws) => {
        ws.send(frame(1, 'partial'));
        ws.close();
      };
      await api.exec(request).then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.match(/closed without an exit status/));
    });

    it('should send stdin on channel 0 and keep the socket open until the status on v4 (no close-stream frame)', async () => {
      const frames: Buffer[] = [];
      let closedEarly = false;
      server.execBehaviour = (ws) => {
        ws.on('close', () => (closedEarly = true));
        ws.on('message', (data: Buffer) => {
          frames.push(data);
          const stdin = Buffer.concat(frames.filter((f) => f[0] === 0).map((f) => f.subarray(1))).toString();
          if (!stdin.endsWith('\n')) return;
          // Like the agent: answer once the line is complete, with stdin still open.
          setTimeout(() => {
            ws.send(frame(1, `echo:${stdin.trim()}`));
            ws.send(frame(3, JSON.stringify({ status: 'Success' })));
            ws.close();
          }, 20);
        });
      };
      const r = await api.exec({ ...request, command: ['node', 'agent.mjs', 'probe'], stdin: '{"jobs":[]}\n' });
      expect(r.stdout).to.equal('echo:{"jobs":[]}');
      expect(closedEarly).to.equal(false);
      expect(frames.some((f) => f[0] === 255), 'no close-stream frame before v5').to.equal(false);
    });

    it('should end stdin with a close-stream frame on v5.channel.k8s.io', async () => {
      server.protocol = 'v5.channel.k8s.io';
      let stdin = '';
      server.execBehaviour = (ws) => {
        ws.on('message', (data: Buffer) => {
          if (data[0] === 0) stdin += data.subarray(1).toString();
          if (data[0] === 255 && data[1] === 0) {
            ws.send(frame(1, `eof after ${stdin.length} bytes`));
            ws.send(frame(3, JSON.stringify({ status: 'Success' })));
            ws.close();
          }
        });
      };
      const r = await api.exec({ ...request, command: ['node', 'agent.mjs', 'probe'], stdin: 'x'.repeat(300_000) });
      expect(r).to.deep.equal({ exitCode: 0, stdout: 'eof after 300000 bytes', stderr: '' });
    });

    it('should reject at its own timeout when the command never finishes', async () => {
      server.execBehaviour = () => {};
      const started = Date.now();
      await api.exec({ ...request, timeoutMs: 300 }).then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.match(/timed out after 300 ms/));
      expect(Date.now() - started).to.be.below(3000);
    });
  });
});

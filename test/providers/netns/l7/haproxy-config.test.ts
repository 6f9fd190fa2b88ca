import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { PeerRef, PolicyObject } from '../../../../src/model/index.js';
import type { PodProxy } from '../../../../src/providers/netns/l7/proxy-plan.js';
import { compileL7Plan } from '../../../../src/providers/netns/l7/compile-l7-plan.js';
import { quote, renderHaproxyConfig } from '../../../../src/providers/netns/l7/haproxy-config.js';
import { startIdentityServer } from '../../../../src/agent/identity-server.js';
import { TCP_HELLO } from '../../../../src/agent/protocol.js';
import { canCheckHaproxy, haproxyCheck, runHaproxy } from './haproxy-check.js';
import { ciliumPolicy } from '../fixtures.js';
import { authz, l7State } from './l7-fixtures.js';

const MAP = '/run/netseg/identities.map';

/** Compares with test/providers/netns/l7/golden/<name>.cfg; UPDATE_GOLDEN=1 rewrites it. */
function golden(name: string, text: string): void {
  const file = fileURLToPath(new URL(`./golden/${name}.cfg`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).to.equal(readFileSync(file, 'utf8'));
}

const CASES: Record<string, PolicyObject[]> = {
  'post-only-from-inventory': [
    authz('x', 'shoes-writer', {
      selector: { matchLabels: { pod: 'a' } },
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/y/sa/inventory'] } }], to: [{ operation: { methods: ['POST'], paths: ['/orders*', '/v1/{*}/items/{**}'] } }] }],
    }),
  ],
  'deny-before-allow': [
    authz('x', 'deny-admin', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin', "*it's"], hosts: ['*.example.com'] } }], when: [{ key: 'request.headers[x-token]', notValues: ['ok'] }] }] }),
    authz('x', 'allow-ns', { rules: [{ from: [{ source: { namespaces: ['x', 'y*'], notIpBlocks: ['10.244.0.4/32'] } }, { source: { serviceAccounts: ['y/inventory'] } }], to: [{ operation: { ports: ['80', '81'] } }] }] }),
  ],
  'root-namespace-allow-nothing': [authz('istio-system', 'allow-nothing', { selector: { matchLabels: { pod: 'b' } } })],
  'cilium-get-public': [
    ciliumPolicy('x', 'public-get', {
      endpointSelector: { matchLabels: { pod: 'a' } },
      ingress: [
        { fromEndpoints: [{ matchLabels: { pod: 'b' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public/.*' }, { headers: ['X-Debug: on', 'X-Trace'], host: "(?i)shop\\.example'" }] } }] },
        { fromCIDRSet: [{ cidr: '10.244.0.0/16', except: ['10.244.0.4/32'] }], toPorts: [{ ports: [{ port: { number: 81 }, protocol: 'TCP' }] }] },
      ],
    }),
  ],
  'cilium-egress-get': [
    ciliumPolicy('x', 'egress-get', {
      endpointSelector: { matchLabels: { pod: 'b' } },
      egress: [
        { toEndpoints: [{ matchLabels: { pod: 'a' } }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] },
        { toCIDRSet: [{ cidr: '10.244.0.0/16', except: ['10.244.0.4/32'] }], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }] }] },
      ],
    }),
  ],
};

describe('renderHaproxyConfig', () => {
  describe('#golden()', () => {
    for (const [name, policies] of Object.entries(CASES)) {
      it(`should render ${name} as the golden configuration`, () => {
        const plan = compileL7Plan(l7State(policies));
        golden(name, plan.proxies.map((p) => renderHaproxyConfig(p, MAP).text).join('\n'));
      });
    }
  });

  describe('#validity()', () => {
    for (const [name, policies] of Object.entries(CASES)) {
      it(`should give haproxy -c a valid configuration for ${name} (skipped without haproxy: apt-get install -y haproxy)`, async function () {
        if (!(await canCheckHaproxy())) this.skip();
        const plan = compileL7Plan(l7State(policies));
        expect(plan.proxies.length).to.be.greaterThan(0);
        for (const proxy of plan.proxies) {
          const r = await haproxyCheck((map) => renderHaproxyConfig(proxy, map).text);
          expect(r.ok, r.output).to.equal(true);
        }
      });
    }
  });

  describe('#listeners()', () => {
    it('should listen on ports the pod does not serve', () => {
      const plan = compileL7Plan(l7State(CASES['post-only-from-inventory'] as PolicyObject[]));
      const proxy = plan.proxies[0];
      expect(proxy?.pod).to.equal('x/a');
      const listeners = renderHaproxyConfig({ ...proxy!, servedPorts: [80, 81, 15000] }, MAP).listeners;
      expect(listeners).to.deep.equal([
        { port: 80, listen: 15001 },
        { port: 81, listen: 15002 },
      ]);
    });
  });

  describe('#routing()', () => {
    /** Connects, writes `text` after `afterMs`, and returns the answer's first line (then resets). */
    const firstLine = (port: number, afterMs: number, text: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        let got = '';
        socket.on('connect', () => setTimeout(() => socket.write(text), afterMs));
        socket.on('data', (chunk: Buffer) => {
          got += chunk.toString('utf8');
          if (got.includes('\n')) {
            socket.resetAndDestroy();
            resolve(got.slice(0, got.indexOf('\n')).replace(/\r$/, ''));
          }
        });
        socket.on('error', () => resolve(got));
        socket.on('end', () => resolve(got));
      });

    it('should send the hello to the agent and an HTTP request, even 400 ms late, to the judging HTTP backend (skipped without haproxy)', async function () {
      if (!(await canCheckHaproxy())) this.skip();
      const agent = await startIdentityServer('x/a', '127.0.0.1', [{ port: 0, protocol: 'TCP', http: true }], () => {});
      const served = agent.bound[0]!.port;
      const listen = await freePort();
      const denyAll = { name: 'istio' as const, denyBody: 'RBAC: access denied', deny: [[]], policies: ['AuthorizationPolicy/x/deny'] };
      const pod: PodProxy = { pod: 'x/a' as PeerRef, ips: ['127.0.0.1'], servedPorts: [served], ingress: [{ port: served, http: true, httpLayers: [denyAll], tcpLayers: [] }], egress: [] };
      const proxy = await runHaproxy((map) => renderHaproxyConfig(pod, map).text, listen);
      try {
        expect(await firstLine(listen, 0, TCP_HELLO)).to.equal('netseg x/a');
        expect(await firstLine(listen, 400, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n')).to.equal('HTTP/1.1 403 Forbidden');
      } finally {
        await proxy.stop();
        await agent.close();
      }
    });
  });

  describe('#quote()', () => {
    it("should close, escape and reopen a single quote", () => {
      expect(quote("it's")).to.equal("'it'\\''s'");
    });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

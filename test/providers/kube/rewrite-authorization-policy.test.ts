import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { AuthorizationPolicy } from '../../../src/model/index.js';
import { rewriteAuthorizationPolicy } from '../../../src/providers/kube/rewrite-authorization-policy.js';
import { RunNamespaces } from '../../../src/providers/kube/run-namespaces.js';
import { smallTopology } from './fixtures.js';

/** Compares with test/providers/kube/golden/<name>.yaml; UPDATE_GOLDEN=1 rewrites it. */
function golden(name: string, objects: readonly object[]): void {
  const text = objects.map((o) => stringify(o)).join('---\n');
  const file = fileURLToPath(new URL(`./golden/${name}.yaml`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).to.equal(readFileSync(file, 'utf8'));
}

const namespaced: AuthorizationPolicy = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'orders', namespace: 'x', labels: { team: 'shop' }, annotations: { 'istio.io/dry-run': 'true' } },
  spec: {
    selector: { matchLabels: { pod: 'a' } },
    action: 'ALLOW',
    rules: [
      {
        from: [
          { source: { principals: ['cluster.local/ns/y/sa/default', '*/ns/x/sa/web', 'cluster.local/ns/y*', '*'], notPrincipals: ['cluster.local/ns/x/sa/bad'] } },
          { source: { namespaces: ['y', 'x*', '*-prod', '*'], notNamespaces: ['kube-system'] } },
          { source: { serviceAccounts: ['y/reader', 'writer'], notServiceAccounts: ['x/bot'], ipBlocks: ['10.0.0.0/8'] } },
        ],
        to: [{ operation: { methods: ['POST'], paths: ['/orders/{*}'], ports: ['80'], hosts: ['b.x.svc.cluster.local', '*.Y.svc.cluster.local:8080', 'example.com'], notHosts: ['a.other.svc.cluster.local'] } }],
        when: [{ key: 'request.headers[x-tenant]', values: ['blue'] }],
      },
    ],
  },
};

const root: AuthorizationPolicy = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'mesh-deny-delete', namespace: 'istio-system' },
  spec: { action: 'DENY', rules: [{ from: [{ source: { serviceAccounts: ['ops', 'y/admin'] } }], to: [{ operation: { methods: ['DELETE'] } }] }] },
};

describe('rewriteAuthorizationPolicy()', () => {
  const namespaces = new RunNamespaces('r1a2b3', 1, smallTopology());

  it('should put a policy into its namespace\'s cluster name, labelled with the run id, with every namespace it names rewritten', () => {
    const out = rewriteAuthorizationPolicy(namespaced, namespaces);
    expect(out).to.have.length(1);
    expect(out[0]!.metadata).to.deep.equal({ name: 'orders', namespace: 'r1a2b3-1-x', labels: { team: 'shop', 'netseg.io/run-id': 'r1a2b3' }, annotations: { 'istio.io/dry-run': 'true' } });
    golden('authorization-policy-namespaced', out);
  });

  it('should rename exact and prefix namespace values and principals\' namespace segments, and keep `*` and suffix forms', () => {
    const spec = rewriteAuthorizationPolicy(namespaced, namespaces)[0]!.spec as { rules: { from: { source: Record<string, string[]> }[] }[] };
    const [p, n, sa] = spec.rules[0]!.from.map((f) => f.source);
    expect(p!.principals).to.deep.equal(['cluster.local/ns/r1a2b3-1-y/sa/default', '*/ns/r1a2b3-1-x/sa/web', 'cluster.local/ns/r1a2b3-1-y*', '*']);
    expect(n!.namespaces).to.deep.equal(['r1a2b3-1-y', 'r1a2b3-1-x*', '*-prod', '*']);
    expect(n!.notNamespaces, 'a system namespace keeps its name').to.deep.equal(['kube-system']);
    expect(sa!.serviceAccounts, 'a bare name stays the policy\'s namespace').to.deep.equal(['r1a2b3-1-y/reader', 'writer']);
    expect(sa!.ipBlocks).to.deep.equal(['10.0.0.0/8']);
  });

  it('should rename the namespace of Service FQDNs in hosts, as the Host header sent in the cluster names it, and keep other hosts', () => {
    const spec = rewriteAuthorizationPolicy(namespaced, namespaces)[0]!.spec as { rules: { to: { operation: Record<string, string[]> }[] }[] };
    const op = spec.rules[0]!.to[0]!.operation;
    expect(op.hosts).to.deep.equal(['b.r1a2b3-1-x.svc.cluster.local', '*.r1a2b3-1-y.svc.cluster.local:8080', 'example.com']);
    expect(op.notHosts, 'not a scenario namespace').to.deep.equal(['a.other.svc.cluster.local']);
  });

  it('should copy a root-namespace policy into every namespace the deployment creates, never into istio-system, qualifying bare service accounts with the root namespace', () => {
    const out = rewriteAuthorizationPolicy(root, namespaces);
    expect(out.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).to.deep.equal(['r1a2b3-1-x/istio-system.mesh-deny-delete', 'r1a2b3-1-y/istio-system.mesh-deny-delete']);
    expect(out.every((o) => o.metadata.labels?.['netseg.io/run-id'] === 'r1a2b3')).to.equal(true);
    golden('authorization-policy-root', out);
    const source = (out[0]!.spec as { rules: { from: { source: { serviceAccounts: string[] } }[] }[] }).rules[0]!.from[0]!.source;
    expect(source.serviceAccounts).to.deep.equal(['r1a2b3-1-istio-system/ops', 'r1a2b3-1-y/admin']);
  });

  it('should refuse a policy in the cluster\'s kube-system (netseg never changes system namespaces)', () => {
    expect(() => rewriteAuthorizationPolicy({ ...namespaced, metadata: { name: 'p', namespace: 'kube-system' } }, namespaces)).to.throw(/system namespace kube-system/);
  });
});

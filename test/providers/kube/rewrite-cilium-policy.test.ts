import { expect } from 'chai';
import type { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy } from '../../../src/model/index.js';
import { rewriteCiliumPolicy } from '../../../src/providers/kube/rewrite-cilium-policy.js';
import { RunNamespaces } from '../../../src/providers/kube/run-namespaces.js';
import { smallTopology } from './fixtures.js';

const nsScope = { key: 'io.kubernetes.pod.namespace', operator: 'In', values: ['r1a2b3-1-x', 'r1a2b3-1-y', 'kube-system'] };
const runScope = { key: 'io.cilium.k8s.namespace.labels.netseg.io/run-id', operator: 'In', values: ['r1a2b3'] };

const cnp: CiliumNetworkPolicy = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'web', namespace: 'x' },
  specs: [
    {
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'db' } }, { matchLabels: { 'io.kubernetes.pod.namespace': 'y' } }], toPorts: [{ ports: [{ port: { number: 80, endPort: 90 }, protocol: 'TCP' }, { port: { name: 'http' }, protocol: 'ANY' }] }] }],
      egress: [{ toCIDRSet: [{ cidr: '192.0.2.0/24', except: ['192.0.2.8/29'] }] }, { toServices: [{ k8sService: { serviceName: 'a' } }] }],
      enableDefaultDeny: { ingress: false },
    },
  ],
};

const ccnp: CiliumClusterwideNetworkPolicy = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumClusterwideNetworkPolicy',
  metadata: { name: 'guard' },
  specs: [{ endpointSelector: {}, ingressDeny: [{ fromEndpoints: [{}] }], egress: [{ toServices: [{ k8sService: { serviceName: 'a' } }] }] }],
};

describe('rewriteCiliumPolicy()', () => {
  const namespaces = new RunNamespaces('r1a2b3', 1, smallTopology());

  it("should put a CiliumNetworkPolicy in its namespace's cluster name, labelled with the run id, in the CRD's wire form", () => {
    const out = rewriteCiliumPolicy(cnp, namespaces);
    expect(out.metadata).to.deep.equal({ name: 'web', namespace: 'r1a2b3-1-x', labels: { 'netseg.io/run-id': 'r1a2b3' } });
    expect(out.specs).to.deep.equal([
      {
        endpointSelector: { matchLabels: { app: 'web' } },
        ingress: [
          {
            fromEndpoints: [{ matchLabels: { app: 'db' } }, { matchLabels: { 'io.kubernetes.pod.namespace': 'r1a2b3-1-y' }, matchExpressions: [nsScope] }],
            toPorts: [{ ports: [{ port: '80', endPort: 90, protocol: 'TCP' }, { port: 'http', protocol: 'ANY' }] }],
          },
        ],
        egress: [{ toCIDRSet: [{ cidr: '192.0.2.0/24', except: ['192.0.2.8/29'] }] }, { toServices: [{ k8sService: { serviceName: 'a', namespace: 'r1a2b3-1-x' } }] }],
        enableDefaultDeny: { ingress: false },
      },
    ]);
  });

  it("should prefix a clusterwide policy's name and confine its subjects and peers to the deployment's namespaces", () => {
    const out = rewriteCiliumPolicy(ccnp, namespaces);
    expect(out.metadata).to.deep.equal({ name: 'r1a2b3-1-guard', labels: { 'netseg.io/run-id': 'r1a2b3' } });
    expect(out.specs).to.deep.equal([
      {
        endpointSelector: { matchExpressions: [nsScope, runScope] },
        ingressDeny: [{ fromEndpoints: [{ matchExpressions: [nsScope] }] }],
        egress: [{ toServices: ['r1a2b3-1-x', 'r1a2b3-1-y', 'kube-system'].map((namespace) => ({ k8sService: { serviceName: 'a', namespace } })) }],
      },
    ]);
  });

  it("should confine a CiliumNetworkPolicy peer selector with a namespace-label key (it spans every namespace on Cilium) to the deployment's namespaces, and keep empty peer lists", () => {
    const byLabel: CiliumNetworkPolicy = {
      ...cnp,
      specs: [{ endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue' } }] }, { fromEndpoints: [], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }] }] }] }],
    };
    expect(rewriteCiliumPolicy(byLabel, namespaces).specs).to.deep.equal([
      {
        endpointSelector: {},
        ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue' }, matchExpressions: [nsScope] }] }, { fromEndpoints: [], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
      },
    ]);
  });

  it('should refuse a CiliumNetworkPolicy in a system namespace', () => {
    expect(() => rewriteCiliumPolicy({ ...cnp, metadata: { name: 'dns', namespace: 'kube-system' } }, namespaces)).to.throw(/system namespace kube-system/);
  });

  it('should pass L7 rules (HTTP, DNS) and toFQDNs through as written: they name requests and DNS names, never namespaces', () => {
    const l7: CiliumNetworkPolicy = {
      ...cnp,
      specs: [
        {
          endpointSelector: { matchLabels: { app: 'web' } },
          ingress: [{ toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public/.*', headers: ['X-Trace'], headerMatches: [{ name: 'x-tenant', value: 'blue' }] }] } }] }],
          egress: [
            { toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.example.com' }] } }] },
            { toFQDNs: [{ matchName: 'api.example.com' }, { matchPattern: '*.example.com' }], toPorts: [{ ports: [{ port: { number: 443 }, protocol: 'TCP' }] }] },
          ],
        },
      ],
    };
    const [spec] = rewriteCiliumPolicy(l7, namespaces).specs as { ingress: { toPorts: unknown[] }[]; egress: Record<string, unknown>[] }[];
    expect(spec!.ingress[0]!.toPorts).to.deep.equal([{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public/.*', headers: ['X-Trace'], headerMatches: [{ name: 'x-tenant', value: 'blue' }] }] } }]);
    expect(spec!.egress[0]!.toPorts).to.deep.equal([{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.example.com' }] } }]);
    expect(spec!.egress[1]).to.deep.equal({ toFQDNs: [{ matchName: 'api.example.com' }, { matchPattern: '*.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
  });
});

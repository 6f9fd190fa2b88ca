import { findingsPerPolicy, type LintRule } from '../lint-rule.js';

type Raw = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const IDENTITY = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts'];

/**
 * Source identity fields (principals, namespaces, serviceAccounts, and the source.principal /
 * source.namespace conditions) only match mutual-TLS traffic: plain-text clients (outside the mesh, or
 * with PeerAuthentication PERMISSIVE and no client certificate) never match them, not even `*`.
 * netseg's oracles derive the identity from the topology's service accounts.
 */
export const istioIdentityNeedsMtls: LintRule = {
  id: 'istio-identity-needs-mtls',
  description: 'AuthorizationPolicy identity fields match only mutual-TLS traffic (a plain-text client has no principal)',
  severity: 'warning',
  kinds: ['AuthorizationPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      const spec = isRecord(source.value.spec) ? source.value.spec : {};
      list(spec.rules).forEach((rule, i) => {
        if (!isRecord(rule)) return;
        list(rule.from).forEach((f, j) => {
          const s = isRecord(f) && isRecord(f.source) ? f.source : {};
          const field = IDENTITY.find((k) => s[k] !== undefined);
          if (field) report(['spec', 'rules', i, 'from', j, 'source', field], `${field} matches the client's mTLS identity: clients without mutual TLS (outside the mesh, plain text) never match it`);
        });
        list(rule.when).forEach((c, j) => {
          if (isRecord(c) && (c.key === 'source.principal' || c.key === 'source.namespace')) report(['spec', 'rules', i, 'when', j, 'key'], `${c.key} comes from the client's mTLS identity: clients without mutual TLS never match it`);
        });
      });
    });
  },
};

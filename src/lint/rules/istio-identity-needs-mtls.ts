import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { isMap, specOf, listOf } from '../policy-view.js';


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
      const spec = specOf(source.value);
      listOf(spec.rules).forEach((rule, i) => {
        if (!isMap(rule)) return;
        listOf(rule.from).forEach((f, j) => {
          const s = isMap(f) && isMap(f.source) ? f.source : {};
          const field = IDENTITY.find((k) => s[k] !== undefined);
          if (field) report(['spec', 'rules', i, 'from', j, 'source', field], `${field} matches the client's mTLS identity: clients without mutual TLS (outside the mesh, plain text) never match it`);
        });
        listOf(rule.when).forEach((c, j) => {
          if (isMap(c) && (c.key === 'source.principal' || c.key === 'source.namespace')) report(['spec', 'rules', i, 'when', j, 'key'], `${c.key} comes from the client's mTLS identity: clients without mutual TLS never match it`);
        });
      });
    });
  },
};

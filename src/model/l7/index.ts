// Barrel of the L7 matchers (Istio AuthorizationPolicy values, Cilium HTTP and FQDN rules): pure, shared by both oracles.
// Kept out of src/model/index.ts until the engine uses it, so nothing else loads re2js yet.
export * from './l7-parse-outcome.js';
export * from './http-request.js';
export * from './re2-full-match.js';
export * from './istio-string-match.js';
export * from './istio-path-match.js';
export * from './istio-port-match.js';
export * from './source-identity.js';
export * from './istio-principal-match.js';
export * from './istio-namespace-match.js';
export * from './istio-service-account-match.js';
export * from './istio-condition-key.js';
export * from './cilium-fqdn-selector.js';
export * from './cilium-http-rule.js';

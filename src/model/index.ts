// Barrel of the pure vocabulary; every other layer imports from here.
export * from './pod-ref.js';
export * from './protocol.js';
export * from './connectivity.js';
export * from './target-kind.js';
export * from './labels.js';
export * from './topology.js';
export * from './network-policy.js';
export * from './cell-key.js';
export * from './cell-map.js';
export * from './connectivity-matrix.js';
export * from './explanation.js';
export * from './input-issue.js';
export * from './errors.js';
export * from './scenario.js';
export * from './run-report.js';
export * from './status-counts.js';
export * from './serves-port.js';

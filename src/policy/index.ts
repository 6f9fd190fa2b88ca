// Barrel of the pure policy engine: compile once (per IP family: FamilyPolicies), then evaluate / verdicts / verdictGrid.
export * from './compile-policies.js';
export * from './compiled-policies.js';
export * from './verdict-grid.js';
export * from './family-policies.js';
export * from './same-connection.js';

// Barrel of the Calico selector language: shared by the engine and the netns compiler (issue 11).
export * from './calico-selector.js';
export * from './tokenize-calico-selector.js';
export * from './parse-calico-selector.js';
export * from './matches-calico-selector.js';
export * from './print-calico-selector.js';

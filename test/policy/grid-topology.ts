// The grid builders moved to test/builders/; this name stays for the engine and netns tests that import it.
export * from '../builders/grid-topology.js';

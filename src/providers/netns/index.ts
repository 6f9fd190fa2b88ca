// Public surface of the netns datapath (the default provider).
export { NetnsProvider, type NetnsProviderOptions } from './netns-provider.js';
export { cleanupNetns, type CleanupResult, type NetnsCleanupOptions } from './cleanup-netns.js';
export { ExecaCommandRunner, CommandError, type CommandRunner, type CommandResult, type SpawnedProcess } from './command-runner.js';
export type { DenyAction } from './nft-ruleset.js';
export { isValidRunId, netnsNames } from './netns-names.js';

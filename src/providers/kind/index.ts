// Public surface of the kind provider for the CLI.
export { createKindProvider, KIND_CLUSTER_PREFIX, type KindProviderOptions } from './kind-provider.js';
export { cleanupKind, type CleanupKindResult } from './cleanup-kind.js';
export { ExecaCommandRunner, type CommandRunner } from './command-runner.js';
export { KIND_CNIS, KIND_VERSIONS, type KindCni } from './kind-versions.js';

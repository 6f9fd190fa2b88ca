// Public surface of the kubeconfig provider for the CLI.
export { createKubeconfigProvider, defaultKubeconfigPath, type KubeconfigProviderOptions } from './kubeconfig-provider.js';
export { cleanupKubeconfig, type CleanupKubeconfigOptions } from './cleanup-kubeconfig.js';
export { openKubeconfigApi } from './open-kubeconfig-api.js';

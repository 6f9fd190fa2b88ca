// Public surface of the kubeconfig provider for the CLI.
export { createKubeconfigProvider, defaultKubeconfigPath, type KubeconfigProviderOptions } from './kubeconfig-provider.js';

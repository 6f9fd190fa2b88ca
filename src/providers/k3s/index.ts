// Public surface of the k3s provider for the CLI.
export { createK3sProvider, K3S_IMAGE, type K3sProviderOptions } from './k3s-provider.js';

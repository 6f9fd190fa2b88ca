declare const __NETSEG_AGENT_VERSION__: string | undefined;

/** Agent version: injected from package.json by scripts/bundle-agent.mjs; "dev" when run from source. */
export const AGENT_VERSION: string = typeof __NETSEG_AGENT_VERSION__ === 'string' ? __NETSEG_AGENT_VERSION__ : 'dev';

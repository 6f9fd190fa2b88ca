/**
 * The official Node image probe pods run by default (overridable with --image). Its major must match
 * the Node major netseg is developed and tested on (test/providers/kube/probe-image.test.ts checks it), and be
 * at least the agent bundle's esbuild target (scripts/bundle-agent.mjs).
 */
export const DEFAULT_PROBE_IMAGE = 'node:24-alpine';

/** Major Node version of an official `node:<major>[.x.y][-variant]` image, or undefined for other images. */
export function nodeImageMajor(image: string): number | undefined {
  const m = /(?:^|\/)node:(\d+)(?:[.-]|$)/.exec(image);
  return m ? Number(m[1]) : undefined;
}

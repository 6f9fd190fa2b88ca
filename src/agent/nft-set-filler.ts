import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import type { FqdnSetSpec } from './dns-name-policy.js';

/** Where the sets are and how long an element lives there. */
export interface NftTarget {
  readonly netns: string;
  readonly table: string;
  readonly timeoutSeconds: number;
}

/** Runs `nft -f -` with `input` in a network namespace; resolves to an error message, or undefined on success. */
export type NftApply = (netns: string, input: string) => Promise<string | undefined>;

const NFT_BOUND_MS = 3000;

/** `ip netns exec <netns> nft -f -`, killed after a bound so a stuck nft cannot hold a DNS answer forever. */
export const ipNetnsNft: NftApply = (netns, input) =>
  new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), NFT_BOUND_MS);
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`nft: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `nft exited ${code ?? signal}: ${stderr.trim()}`);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });

/**
 * Adds answered addresses to nft sets before the answer leaves (the client connects right after it),
 * once per (policy generation, set, address): an element added since the last reload is still there,
 * since the table (and its sets) is only replaced at a sync, which rewrites the policy too.
 */
export class NftSetFiller {
  readonly #added = new Map<string, Promise<string | undefined>>();
  #generation = -1;

  constructor(private readonly apply: NftApply = ipNetnsNft) {}

  /** Adds every address of each set's family to it; resolves to an error message, or undefined when all are in. */
  async fill(target: NftTarget, generation: number, sets: readonly FqdnSetSpec[], addresses: readonly string[]): Promise<string | undefined> {
    if (generation !== this.#generation) {
      this.#added.clear();
      this.#generation = generation;
    }
    const pending = sets.flatMap((s) => addresses.filter((a) => isIP(a) === s.family).map((a) => `${s.set} ${a}`));
    const missing = [...new Set(pending.filter((key) => !this.#added.has(key)))];
    if (missing.length > 0) {
      const input = missing.map((key) => `add element inet ${target.table} ${key.replace(' ', ' { ')} timeout ${target.timeoutSeconds}s }\n`).join('');
      const run = this.apply(target.netns, input);
      for (const key of missing) this.#added.set(key, run);
    }
    const waits = pending.map((key) => this.#added.get(key) as Promise<string | undefined>);
    const results = await Promise.all(waits);
    // A failed add is not remembered: the next lookup tries again.
    pending.forEach((key, i) => results[i] !== undefined && this.#added.get(key) === waits[i] && this.#added.delete(key));
    return results.find((r) => r !== undefined);
  }
}

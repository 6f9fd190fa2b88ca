import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FuzzJob, FuzzResult } from './fuzz/cli-worker.js';
import { draws, mutate } from './fuzz/mutate-input.js';

// NETSEG_FUZZ_SEED reproduces a run; NETSEG_FUZZ_COUNT runs more (or fewer) inputs.
const SEED = Number(process.env.NETSEG_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const COUNT = Number(process.env.NETSEG_FUZZ_COUNT ?? 1000);
/** Bounds one input must stay within: wall time, and the worker's old-generation heap (exceeding it kills the worker). */
const LIMITS = { perInputMs: 15_000, heapMb: 768 };
const STACK_LINE = /^\s+at\s.+:\d+:\d+\)?$/m;

/** A shipped file to mutate, and the scenario that reads it (itself, or one that includes the policy file). */
interface Source {
  readonly file: string;
  readonly scenario: string;
}

function shippedSources(): Source[] {
  const out: Source[] = [];
  for (const pack of ['recipes', 'guide', 'conformance', 'cluster-network-policy']) {
    const dir = join('scenarios', pack);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
      const scenario = join(dir, name);
      out.push({ file: scenario, scenario });
      for (const m of readFileSync(scenario, 'utf8').matchAll(/file:\s*(policies\/[\w.-]+\.yaml)/g)) {
        if (!out.some((s) => s.file === join(dir, m[1]!))) out.push({ file: join(dir, m[1]!), scenario });
      }
    }
  }
  return out;
}

/**
 * Lays out one directory per source, once: the scenario and links to its pack's policy files, the
 * source itself a real file that each input overwrites. Returns where each source's input goes and
 * the scenario to check.
 */
function layOut(root: string, sources: readonly Source[]): { input: string; scenario: string }[] {
  return sources.map((source, i) => {
    const dir = join(root, String(i));
    const policies = join(dir, 'policies');
    mkdirSync(policies, { recursive: true });
    const realPolicies = join(dirname(source.scenario), 'policies');
    for (const name of existsSync(realPolicies) ? readdirSync(realPolicies).filter((n) => n.endsWith('.yaml')) : []) {
      if (join(realPolicies, name) !== source.file) symlinkSync(resolve(realPolicies, name), join(policies, name));
    }
    const scenario = join(dir, basename(source.scenario));
    if (source.file !== source.scenario) symlinkSync(resolve(source.scenario), scenario);
    return { input: source.file === source.scenario ? scenario : join(policies, basename(source.file)), scenario };
  });
}

describe('input fuzzing', function () {
  this.timeout(COUNT * LIMITS.perInputMs);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'netseg-fuzz-'));
    console.log(`    fuzz seed ${SEED} (reproduce with NETSEG_FUZZ_SEED=${SEED}), ${COUNT} inputs`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('#check and #lint', () => {
    it('should answer every mutated scenario and policy with exit 0, 1 or 2, no stack trace, within bounded time and memory', async () => {
      const sources = shippedSources();
      const places = layOut(root, sources);
      const worker = new Worker(new URL('./fuzz/cli-worker.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: LIMITS.heapMb } });
      const died = new Promise<never>((_, reject) => {
        worker.once('error', (e) => reject(new Error(`the worker died (${e.message})`)));
        worker.once('exit', (code) => reject(new Error(`the worker exited (${code})`)));
      });
      const problems: string[] = [];
      const byCode = new Map<number, number>();
      let slowest = 0;
      let heapMb = 0;
      try {
        for (const [index, d] of draws(SEED, COUNT).entries()) {
          const source = sources[d.source % sources.length]!;
          const { input, scenario } = places[d.source % sources.length]!;
          const m = mutate(readFileSync(source.file, 'utf8'), d);
          writeFileSync(input, m.content);
          const label = `input ${index} (seed ${SEED}): ${index % 4 === 3 ? 'lint' : 'check'} ${source.file}, ${m.what}`;
          let timer: NodeJS.Timeout | undefined;
          const answer = new Promise<FuzzResult>((ok) => worker.once('message', ok));
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`took more than ${LIMITS.perInputMs} ms`)), LIMITS.perInputMs);
          });
          // Every fourth input goes through the linter instead, which reads the same files its own way.
          const argv = index % 4 === 3 ? ['lint', input] : ['check', scenario];
          worker.postMessage({ index, argv } satisfies FuzzJob);
          const r = await Promise.race([answer, late, died]).catch((e: Error) => {
            throw new Error(`${label}: ${e.message}`);
          }).finally(() => clearTimeout(timer));
          byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
          slowest = Math.max(slowest, r.ms);
          heapMb = Math.max(heapMb, r.heapMb);
          if (![0, 1, 2].includes(r.code)) problems.push(`${label}: exit ${r.code}\n${r.output.slice(0, 2000)}`);
          else if (STACK_LINE.test(r.output)) problems.push(`${label}: a stack trace\n${r.output.slice(0, 2000)}`);
          else if (r.warnings.length > 0) problems.push(`${label}: Node warnings ${r.warnings.join('; ')}`);
          if (problems.length >= 10) break;
        }
      } finally {
        await worker.terminate();
      }
      console.log(`    fuzz outcomes: ${[...byCode].sort().map(([c, n]) => `exit ${c}: ${n}`).join(', ')}; slowest input ${slowest.toFixed(0)} ms; worker heap peak ${heapMb.toFixed(0)} MB`);
      expect(problems, problems.join('\n\n')).to.deep.equal([]);
    });
  });
});

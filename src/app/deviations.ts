import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import {
  InputError,
  PROTOCOLS,
  TARGET_KINDS,
  isExternalRef,
  policyRefOf,
  type CellKey,
  type ClusterState,
  type Explanation,
  type InputIssue,
  type NetworkPolicy,
  type PolicyRef,
} from '../model/index.js';
import { cidrContains, parseCIDR } from '../policy/cidr.js';
import type { DeviationMatcher } from './deviation-matcher.js';

/** Policy features a deviation can hinge on, detected in the policies that select the cell's pods. */
export const DEVIATION_FEATURES = ['ipBlock', 'ipBlock-pod-ip', 'endPort', 'named-port'] as const;

const matchSchema = z
  .object({
    /** Any of these target kinds. */
    targets: z.array(z.enum(TARGET_KINDS as [string, ...string[]])).min(1).optional(),
    protocols: z.array(z.enum(PROTOCOLS as [string, ...string[]])).min(1).optional(),
    /** Pod-to-itself cells (true) or only other cells (false). */
    self: z.boolean().optional(),
    /** Any of these features used by a policy selecting the source (egress) or destination (ingress). */
    features: z.array(z.enum(DEVIATION_FEATURES)).min(1).optional(),
    /** Any of these engine verdicts. */
    verdicts: z.array(z.enum(['allowed', 'blocked'])).min(1).optional(),
  })
  .strict()
  .refine((m) => Object.keys(m).length > 0, { message: 'match needs at least one condition (an empty match would mark every cell)' });

const fileSchema = z
  .object({
    apiVersion: z.literal('netseg.io/v1alpha1'),
    kind: z.literal('KnownDeviations'),
    cni: z.string().min(1),
    deviations: z.array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lowercase words joined by "-"'),
          description: z.string().min(1),
          /** Where the deviation is documented (issue numbers, docs pages). */
          source: z.string().min(1),
          /** documented (in the CNI's docs / CI), reported (issues), unverified (plausible, not confirmed). */
          status: z.enum(['documented', 'reported', 'unverified']),
          match: matchSchema,
        })
        .strict(),
    ),
  })
  .strict();

/** One known deviation of a CNI. */
export type Deviation = z.infer<typeof fileSchema>['deviations'][number];

/** The deviations of one CNI, as loaded from clusters/<cni>/deviations.yaml. */
export interface DeviationSet {
  readonly cni: string;
  readonly file: string;
  readonly deviations: readonly Deviation[];
}

/** Parses and validates a deviations file; every problem is an InputError issue naming the file (and line when known). */
export function parseDeviations(text: string, file: string): DeviationSet {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const at = (path: readonly PropertyKey[]) => {
    const node = path.length ? doc.getIn(path as (string | number)[], true) : doc.contents;
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    throw new InputError(doc.errors.map((e) => ({ position: { file, line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col ?? 1 }, path: '', message: e.message, severity: 'error' as const })));
  }
  const r = fileSchema.safeParse(doc.toJS());
  if (!r.success) {
    const issues: InputIssue[] = r.error.issues.map((i) => ({ position: at(i.path.slice(0, nodePath(doc, i.path))), path: i.path.map(String).join('.'), message: i.message, severity: 'error' }));
    throw new InputError(issues);
  }
  const seen = new Set<string>();
  const dupes = r.data.deviations.flatMap((d, i) => (seen.has(d.id) ? [i] : (seen.add(d.id), [])));
  if (dupes.length > 0) {
    throw new InputError(dupes.map((i) => ({ position: at(['deviations', i, 'id']), path: `deviations.${i}.id`, message: `duplicate deviation id ${r.data.deviations[i]!.id}`, severity: 'error' })));
  }
  return { cni: r.data.cni, file, deviations: r.data.deviations };
}

/** Longest prefix of `path` that exists in the document, so an issue points at the nearest node. */
function nodePath(doc: ReturnType<typeof parseDocument>, path: readonly PropertyKey[]): number {
  for (let n = path.length; n > 0; n--) if (doc.hasIn(path.slice(0, n) as (string | number)[])) return n;
  return 0;
}

/** The package's clusters/ directory (same depth from src/app and dist/app). */
export function defaultClustersDir(): string {
  return fileURLToPath(new URL('../../clusters/', import.meta.url));
}

/** Loads clusters/<cni>/deviations.yaml (cni: calico, cilium, kindnet, k3s). */
export function loadDeviations(cni: string, clustersDir: string = defaultClustersDir()): DeviationSet {
  const file = join(clustersDir, cni, 'deviations.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError([{ position: { file, line: 1, column: 1 }, path: '', message: `no known-deviations file for CNI "${cni}"`, severity: 'error' }]);
  }
  return parseDeviations(text, file);
}

/** What a cell is matched against: the step's state and the engine's explanation of the cell. */
export interface DeviationContext {
  readonly state: ClusterState;
  readonly explanation: Pick<Explanation, 'verdict' | 'egress' | 'ingress'>;
}

/** The id of the first deviation that predicts this cell may not behave as the spec says, or undefined. */
export function matchDeviation(set: DeviationSet, cell: CellKey, context: DeviationContext): string | undefined {
  return set.deviations.find((d) => matches(d.match, cell, context))?.id;
}

/** A DeviationMatcher for the runner. */
export function deviationMatcher(set: DeviationSet): DeviationMatcher {
  return (cell, context) => matchDeviation(set, cell, context);
}

function matches(m: Deviation['match'], cell: CellKey, context: DeviationContext): boolean {
  if (m.targets && !m.targets.includes(cell.target)) return false;
  if (m.protocols && !m.protocols.includes(cell.protocol)) return false;
  if (m.self !== undefined && (cell.from === cell.to) !== m.self) return false;
  if (m.verdicts && !(m.verdicts as readonly string[]).includes(context.explanation.verdict)) return false;
  if (m.features && !m.features.some((f) => usesFeature(f, cell, context))) return false;
  return true;
}

/** True when a policy selecting the source (egress) or the destination (ingress) uses the feature. */
function usesFeature(feature: (typeof DEVIATION_FEATURES)[number], cell: CellKey, context: DeviationContext): boolean {
  const byRef = new Map<PolicyRef, NetworkPolicy>(context.state.policies.map((p) => [policyRefOf(p), p]));
  const sides: { refs: readonly PolicyRef[]; direction: 'ingress' | 'egress'; peerIP: string | undefined }[] = [
    { refs: context.explanation.egress.selectedBy, direction: 'egress', peerIP: podIP(context.state, cell.to) },
    { refs: context.explanation.ingress.selectedBy, direction: 'ingress', peerIP: podIP(context.state, cell.from) },
  ];
  return sides.some(({ refs, direction, peerIP }) =>
    refs.some((ref) => {
      const policy = byRef.get(ref);
      if (!policy) return false;
      const rules = direction === 'ingress' ? (policy.spec.ingress ?? []).map((r) => ({ peers: r.from ?? [], ports: r.ports ?? [] })) : (policy.spec.egress ?? []).map((r) => ({ peers: r.to ?? [], ports: r.ports ?? [] }));
      switch (feature) {
        case 'ipBlock':
          return rules.some((r) => r.peers.some((p) => p.ipBlock));
        case 'ipBlock-pod-ip':
          return peerIP !== undefined && rules.some((r) => r.peers.some((p) => p.ipBlock && covers(p.ipBlock.cidr, peerIP)));
        case 'endPort':
          return rules.some((r) => r.ports.some((p) => p.endPort !== undefined));
        case 'named-port':
          return rules.some((r) => r.ports.some((p) => typeof p.port === 'string'));
      }
    }),
  );
}

function covers(cidr: string, ip: string): boolean {
  const parsed = parseCIDR(cidr);
  return parsed !== undefined && cidrContains(parsed, ip);
}

function podIP(state: ClusterState, peer: string): string | undefined {
  if (isExternalRef(peer)) return undefined;
  return state.topology.pods.find((p) => `${p.namespace}/${p.name}` === peer)?.ip;
}

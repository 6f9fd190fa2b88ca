import { servesPort, type Protocol } from '../model/index.js';
import { Bitsets, type Bitset } from './bitset.js';
import type { CompiledTopology } from './compiled-topology.js';
import { composeAmbiguous, composeRows } from './layers/compose-layers.js';
import type { LayerSlice, PolicyLayer, RowDecision } from './layers/policy-layer.js';
import { NamedPortSets } from './named-port-sets.js';
import { VerdictGrid } from './verdict-grid.js';

const { ALLOWED, AMBIGUOUS, BLOCKED, INVALID_PORT } = VerdictGrid;

/** Per subject pod, the peers of one direction (undefined: every peer). */
type Sides = readonly (Bitset | undefined)[];

/**
 * The verdict codes of every source (pods, then external sources) × every host for one port/protocol, built row by row with word-wise
 * bit-set operations: a source's row is its composed egress set AND the destinations whose composed
 * ingress admits it AND those serving the port; only allowed cells are written one by one (the rest
 * is a copied template row). The destinations admitting a source come from the per-destination
 * ingress sets, transposed at once. When some layer is ambiguous, the cells that some choice allows
 * are written ambiguous first, then the surely allowed ones allowed.
 */
export function flowGridCodes(state: CompiledTopology, layers: readonly PolicyLayer[], port: number, protocol: Protocol): FlowGridCodes {
  const { hosts, podCount, size } = state;
  const slice: LayerSlice = { port, protocol, named: new NamedPortSets(hosts, port, protocol) };
  const egressRows = layers.map((layer) => layer.rows('egress', slice));
  const ingressRows = layers.map((layer) => layer.rows('ingress', slice));
  const egress = composeRows(egressRows, podCount, size);
  const ingress = composeRows(ingressRows, podCount, size);
  const serves = Bitsets.empty(size);
  const template = new Uint8Array(size).fill(INVALID_PORT);
  for (const h of hosts) {
    if (!servesPort(h, port, protocol)) continue;
    Bitsets.add(serves, h.index);
    template[h.index] = BLOCKED;
  }
  const codes = new Uint8Array(state.sourceCount * size);
  const egressAmbiguous = composeAmbiguous(egressRows, podCount, size);
  const ingressAmbiguous = composeAmbiguous(ingressRows, podCount, size);
  if (!egressAmbiguous && !ingressAmbiguous) {
    fillAllowed(codes, state, egress, ingress, serves, ALLOWED, template);
  } else {
    fillAllowed(codes, state, widen(egress, egressAmbiguous), widen(ingress, ingressAmbiguous), serves, AMBIGUOUS, template);
    fillAllowed(codes, state, narrow(egress, egressAmbiguous, size), narrow(ingress, ingressAmbiguous, size), serves, ALLOWED);
  }
  if (!layers.some((l) => l.exemptsHairpin === true)) return { codes, podIp: undefined };
  // pod-ip: each pod's own cell judged by the layers that apply to hairpin traffic only.
  const applying = layers.flatMap((l, i) => (l.exemptsHairpin === true ? [] : [i]));
  const podIp = codes.slice();
  for (let s = 0; s < podCount; s++) {
    if (!Bitsets.has(serves, s)) continue;
    const eg = selfVerdict(applying.map((i) => egressRows[i]![s]), s);
    const ig = selfVerdict(applying.map((i) => ingressRows[i]![s]), s);
    podIp[s * size + s] = eg === BLOCKED || ig === BLOCKED ? BLOCKED : eg === ALLOWED && ig === ALLOWED ? ALLOWED : AMBIGUOUS;
  }
  return { codes, podIp };
}

/** The flow grid's codes, and the pod-ip grid's when some layer exempts hairpin (they differ on the diagonal only). */
export interface FlowGridCodes {
  readonly codes: Uint8Array;
  readonly podIp: Uint8Array | undefined;
}

/** One direction of a pod towards itself through these rows (layers in order): the first surely deciding row decides, ambiguity explored. */
function selfVerdict(rows: readonly (RowDecision | undefined)[], s: number): number {
  let canAllow = false;
  let canBlock = false;
  for (const row of rows) {
    if (!row) continue;
    const accept = Bitsets.has(row.accept, s);
    const deny = row.deny === 'rest' ? !accept : Bitsets.has(row.deny, s);
    const amb = row.ambiguous;
    if (accept || (amb && Bitsets.has(amb.accept, s))) canAllow = true;
    if (deny || (amb && Bitsets.has(amb.deny, s))) canBlock = true;
    const passes = amb !== undefined && Bitsets.has(amb.pass, s);
    if (accept || deny || (amb && !passes && (Bitsets.has(amb.accept, s) || Bitsets.has(amb.deny, s)))) return verdictCode(canAllow, canBlock);
  }
  return verdictCode(true, canBlock);
}

function verdictCode(canAllow: boolean, canBlock: boolean): number {
  return canAllow && canBlock ? AMBIGUOUS : canBlock ? BLOCKED : ALLOWED;
}

/** Writes `code` into every cell both sides allow and the destination serves; copies `template` into each row first when given. */
function fillAllowed(codes: Uint8Array, state: CompiledTopology, egress: Sides, ingress: Sides, serves: Bitset, code: number, template?: Uint8Array): void {
  const { podCount, sourceCount, size } = state;
  const stride = serves.length;
  // Destinations that no ingress layer restricts admit every source; the others admit the sources of `admitted`.
  const open = Bitsets.full(size);
  // Square over the sources: rows of external sources (never destinations of an ingress policy) stay empty here.
  const admitting = new Uint32Array(sourceCount * stride);
  for (let d = 0; d < podCount; d++) {
    const admits = ingress[d];
    if (!admits) continue;
    admitting.set(admits, d * stride);
    open[d >>> 5]! &= ~(1 << (d & 31));
  }
  const admittedBy = new Uint32Array(sourceCount * stride);
  Bitsets.transpose(admitting, admittedBy, sourceCount, stride);
  const row = Bitsets.empty(size);
  for (let s = 0; s < sourceCount; s++) {
    row.set(admittedBy.subarray(s * stride, (s + 1) * stride));
    Bitsets.orInto(row, open);
    // An external source's egress is policed by nothing (`egress` has rows for pods only).
    const eg = s < podCount ? egress[s] : undefined;
    if (eg) Bitsets.andInto(row, eg);
    Bitsets.andInto(row, serves);
    const base = s * size;
    if (template) codes.set(template, base);
    for (let w = 0; w < row.length; w++) {
      let word = row[w]!;
      while (word !== 0) {
        const low = word & -word;
        codes[base + (w << 5) + 31 - Math.clz32(low)] = code;
        word ^= low;
      }
    }
  }
}

/** The peers some choice allows: the surely allowed plus the ambiguous. */
function widen(allowed: Sides, ambiguous: Sides | undefined): Sides {
  if (!ambiguous) return allowed;
  return allowed.map((set, s) => {
    const amb = ambiguous[s];
    return set && amb ? orOf(set, amb) : set;
  });
}

/** The peers every choice allows (composeRows counts an ambiguous peer as allowed when its Pass candidate leads to an allow). */
function narrow(allowed: Sides, ambiguous: Sides | undefined, size: number): Sides {
  if (!ambiguous) return allowed;
  return Array.from({ length: allowed.length }, (_, s) => {
    const amb = ambiguous[s];
    if (!amb) return allowed[s];
    const set = allowed[s];
    const out = set ? set.slice() : Bitsets.full(size);
    Bitsets.andNotInto(out, amb);
    return out;
  });
}

function orOf(a: Bitset, b: Bitset): Bitset {
  const out = a.slice();
  Bitsets.orInto(out, b);
  return out;
}

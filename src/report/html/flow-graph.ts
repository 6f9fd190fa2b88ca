import type { CellReport, PeerRef, RunReport } from '../../model/index.js';
import { CellView } from '../cell-view.js';
import { escapeXml as h } from '../escape.js';
import { namespaceOf } from './namespace-of.js';

/** Above this many workloads the graph draws namespaces as nodes (one edge per namespace pair), so it stays readable. */
const MAX_WORKLOAD_NODES = 48;

/** A directed flow between two graph nodes and whether any of its cells is a mismatch. */
interface Edge {
  readonly from: string;
  readonly to: string;
  allowed: boolean;
  mismatch: boolean;
}

/**
 * A compact SVG of a step's segmentation: workloads on a circle grouped by namespace, an arrow per
 * allowed flow (any port), red where a cell of the flow is a mismatch — dashed when the expected
 * flow is missing. Large topologies collapse to one node per namespace.
 */
export function renderFlowGraph(mode: RunReport['mode'], cells: readonly CellReport[], id: string): string {
  const workloads = [...new Set(cells.flatMap((c) => [c.from as PeerRef, c.to]))];
  const collapsed = workloads.length > MAX_WORKLOAD_NODES;
  const node = (p: PeerRef): string => (collapsed ? namespaceOf(p) : p);
  const edges = new Map<string, Edge>();
  for (const c of cells) {
    const [from, to] = [node(c.from), node(c.to)];
    if (from === to || c.status === 'skipped' || c.status === 'unsupported') continue;
    const key = `${from}\u0000${to}`;
    const edge = edges.get(key) ?? { from, to, allowed: false, mismatch: false };
    edge.allowed ||= CellView.actual(mode, c) === 'allowed';
    edge.mismatch ||= CellView.isMismatch(c);
    edges.set(key, edge);
  }
  const nodes = [...new Set(workloads.map(node))];
  return svg(nodes, [...edges.values()].filter((e) => e.allowed || e.mismatch), collapsed, id);
}

/** Lays the nodes on a circle, one empty slot between namespaces, and draws groups, edges and labels. */
function svg(nodes: readonly string[], edges: readonly Edge[], collapsed: boolean, id: string): string {
  const groups = [...new Set(nodes.map((n) => (collapsed ? n : namespaceOf(n as PeerRef))))];
  const slots: (string | undefined)[] = [];
  for (const g of groups) {
    if (groups.length > 1) slots.push(undefined);
    slots.push(...nodes.filter((n) => (collapsed ? n : namespaceOf(n as PeerRef)) === g));
  }
  const r = Math.max(70, slots.length * 7);
  const size = 2 * r + 150;
  const c = size / 2;
  const at = new Map<string, { x: number; y: number; a: number }>();
  slots.forEach((n, i) => {
    const a = (2 * Math.PI * i) / slots.length - Math.PI / 2;
    if (n !== undefined) at.set(n, { x: round(c + r * Math.cos(a)), y: round(c + r * Math.sin(a)), a });
  });
  const parts = [`<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${Math.min(size, 340)}" height="${Math.min(size, 340)}" role="img" aria-label="${h(`${nodes.length} ${collapsed ? 'namespaces' : 'workloads'}, ${edges.filter((e) => e.allowed).length} allowed flows`)}">`];
  const marker = (suffix: string, cls: string): string => `<marker id="${id}-${suffix}" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path class="${cls}" d="M0,0L10,5L0,10z"/></marker>`;
  parts.push(`<defs>${marker('a', 'ah')}${marker('m', 'ah mm')}</defs>`);
  groups.forEach((g, i) => {
    const members = nodes.filter((n) => (collapsed ? n : namespaceOf(n as PeerRef)) === g).map((n) => at.get(n)!);
    const mid = members[Math.floor(members.length / 2)]!;
    const lx = round(c + (r + 42) * Math.cos(mid.a));
    const ly = round(c + (r + 42) * Math.sin(mid.a));
    parts.push(`<text class="g g${i % 6}" x="${lx}" y="${ly}" text-anchor="middle">${h(g)}</text>`);
  });
  for (const e of edges) {
    const [p, q] = [at.get(e.from)!, at.get(e.to)!];
    // Bending toward the centre keeps a→b and b→a apart and edges off the circle's nodes.
    const mx = round((p.x + q.x) / 2 + (c - (p.x + q.x) / 2) * 0.35);
    const my = round((p.y + q.y) / 2 + (c - (p.y + q.y) / 2) * 0.35);
    const cls = `e${e.mismatch ? ' mm' : ''}${e.allowed ? '' : ' missing'}`;
    parts.push(`<path class="${cls}" d="M${p.x},${p.y}Q${mx},${my} ${q.x},${q.y}" marker-end="url(#${id}-${e.mismatch ? 'm' : 'a'})"><title>${h(`${e.from} → ${e.to}${e.allowed ? ' allowed' : ' blocked'}${e.mismatch ? ' (mismatch)' : ''}`)}</title></path>`);
  }
  groups.forEach((g, i) => {
    for (const n of nodes.filter((m) => (collapsed ? m : namespaceOf(m as PeerRef)) === g)) {
      const { x, y, a } = at.get(n)!;
      const label = collapsed ? n : n.slice(n.indexOf(n.startsWith('external:') ? ':' : '/') + 1);
      parts.push(`<circle class="n g${i % 6}" cx="${x}" cy="${y}" r="6"><title>${h(n)}</title></circle>`);
      parts.push(`<text class="l" x="${round(x + 16 * Math.cos(a))}" y="${round(y + 16 * Math.sin(a) + 4)}" text-anchor="middle">${h(label)}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

/** One decimal is enough for pixel coordinates and keeps the file small. */
function round(v: number): number {
  return Math.round(v * 10) / 10;
}

// Seeded mutations of the shipped scenarios and policies for the input fuzz test (test/cli/fuzz-inputs.test.ts).
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';

/** The random draws of one input: numbers that pick the source, the mutation and where it applies. */
export interface Draw {
  readonly source: number;
  readonly mutation: number;
  readonly a: number;
  readonly b: number;
  readonly text: string;
  readonly bytes: Uint8Array;
}

/** `count` draws from `seed`: the same seed always yields the same inputs. */
export function draws(seed: number, count: number): Draw[] {
  const draw = fc.record({
    source: fc.nat(),
    mutation: fc.nat(),
    a: fc.nat(),
    b: fc.nat(),
    text: fc.string({ unit: 'grapheme', maxLength: 40 }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 48 }),
  });
  return fc.sample(draw, { seed, numRuns: count });
}

/** A mutated file: its bytes and what was done, so a failure says how to rebuild it. */
export interface Mutated {
  readonly content: string | Uint8Array;
  readonly what: string;
}

type Segment = string | number;
const HOLE = '__NETSEG_FUZZ_HOLE__';

/** YAML fragments that replace a value: other types, huge numbers, deep nesting, alias bombs, tags, bad aliases and keys. */
function fragment(kind: number, d: Draw): { text: string; what: string } {
  const depth = [10, 63, 65, 300, 3000, 30_000][d.b % 6]!;
  const laughs = ['&l0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `&l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`)];
  const choices: [string, string][] = [
    ['42', 'a number'],
    ['"a string"', 'a string'],
    ['true', 'a boolean'],
    ['null', 'null'],
    ['[]', 'an empty list'],
    ['{}', 'an empty map'],
    ['[1, "a", null, {b: [true]}]', 'a mixed list'],
    ['{a: {b: [1, {c: d}]}}', 'a nested map'],
    [['1e400', '-1', '0', '-0', '.nan', '.inf', '-.inf', '123456789012345678901234567890', '0x7fffffffffffffffffff', '9007199254740993', '65536', '2147483648'][d.b % 12]!, 'a huge or odd number'],
    [JSON.stringify(d.text), 'a unicode string'],
    [JSON.stringify(`\u202e${d.text}\u200b\u0000\u001b[31m`), 'a string with bidi, zero-width and control characters'],
    [`x${'y'.repeat([1000, 100_000, 1_000_000][d.b % 3]!)}`, 'a very long string'],
    [`${'['.repeat(depth)}${']'.repeat(depth)}`, `lists nested ${depth} deep`],
    [`${'{a: '.repeat(Math.min(depth, 5000))}1${'}'.repeat(Math.min(depth, 5000))}`, `maps nested ${Math.min(depth, 5000)} deep`],
    [`[${laughs.join(', ')}]`, 'an alias bomb (10^9 expansion)'],
    [`[&v ok, ${Array(150).fill('*v').join(', ')}]`, '150 aliases of one anchor'],
    [`[${Array.from({ length: 40 }, (_, i) => `&n${i} ${'['.repeat(30)}${i === 0 ? 'x' : `*n${i - 1}`}${']'.repeat(30)}`).join(', ')}]`, 'aliases nesting 1,200 levels deep'],
    [['!!binary aGVsbG8=', '!!set {a, b}', '!foo bar', '!!timestamp 2001-12-14', '!!python/object:os.system x', '!<tag:example.com,2000:x> y', '!!omap [a: 1]', '!!pairs [a: 1]'][d.b % 8]!, 'a tagged value'],
    ['*nowhere', 'an alias to an undefined anchor'],
    ['&self [1, *self]', 'an alias inside its own anchor'],
    ['{[a, b]: c}', 'a list used as a key'],
    ['{a: 1, a: 2}', 'a duplicate key'],
    ['{<<: [1, 2]}', 'a merge key of scalars'],
  ];
  const [text, what] = choices[kind % choices.length]!;
  return { text, what };
}

/** Every path of a parsed value, the root excluded. */
function paths(value: unknown, prefix: Segment[] = []): Segment[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

function parentOf(root: unknown, path: readonly Segment[]): Record<Segment, unknown> {
  let node = root as Record<Segment, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<Segment, unknown>;
  return node;
}

/** Applies the draw's mutation to a shipped YAML file. */
export function mutate(original: string, d: Draw): Mutated {
  const kinds = 6;
  const kind = d.mutation % kinds;
  const lines = original.split('\n');
  switch (kind) {
    case 0: {
      const cut = d.a % (original.length + 1);
      return { content: original.slice(0, cut), what: `truncated at byte ${cut}` };
    }
    case 1: {
      const at = d.a % (original.length + 1);
      const bytes = Buffer.concat([Buffer.from(original.slice(0, at)), Buffer.from(d.bytes), Buffer.from(original.slice(at))]);
      return { content: bytes, what: `${d.bytes.length} random bytes inserted at ${at}` };
    }
    case 2: {
      const i = d.a % lines.length;
      const changed = [...lines];
      if (d.b % 3 === 0) changed.splice(i, 1);
      else if (d.b % 3 === 1) changed.splice(i, 0, lines[i] ?? '');
      else changed[i] = (lines[i] ?? '').replace(/^ {2}/, '');
      return { content: changed.join('\n'), what: `line ${i + 1} ${['deleted', 'duplicated', 'dedented'][d.b % 3]}` };
    }
    default: {
      const docs = parseAllDocuments(original);
      const values = (Array.isArray(docs) ? docs : []).map((doc) => doc.toJS() as unknown);
      const which = d.b % Math.max(values.length, 1);
      const root = values[which];
      const all = paths(root);
      if (all.length === 0) return { content: original, what: 'unchanged (no values)' };
      const join = (text: string) => values.map((v, i) => (i === which ? text : stringify(v))).join('---\n');
      const path = all[d.a % all.length]!;
      const parent = parentOf(root, path);
      const key = path[path.length - 1]!;
      if (kind === 3) {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        return { content: join(stringify(root)), what: `deleted ${path.join('.')} of document ${which}` };
      }
      const f = fragment(d.b + d.mutation, d);
      parent[key] = HOLE;
      return { content: join(stringify(root, { lineWidth: 0 }).replace(HOLE, f.text)), what: `${path.join('.')} of document ${which} replaced by ${f.what}` };
    }
  }
}

import { expect } from 'chai';
import fc from 'fast-check';
import { matchesCalicoSelector, parseCalicoSelector, printCalicoSelector, type CalicoSelector, type Labels } from '../../../src/model/index.js';

const RUNS = { numRuns: 300 };

// Keys include operator words and prefixed keys; values include both quote characters (never both at once).
const keyArb = fc.oneof(
  fc.constantFrom('a', 'b', 'in', 'has', 'contains', 'app.kubernetes.io/name', 'projectcalico.org/namespace'),
  fc.stringMatching(/^[a-zA-Z0-9_./-]{1,10}$/),
);
const valueArb = fc.oneof(
  fc.constantFrom('', 'x', 'xy', 'prod', 'production', "it's", 'say "hi"', ' a && b ', 'é'),
  fc.string({ maxLength: 6 }).filter((v) => !(v.includes('"') && v.includes("'"))),
);
const labelsArb: fc.Arbitrary<Labels> = fc
  .array(fc.tuple(keyArb, fc.oneof(valueArb, fc.constantFrom('x', 'prod', 'production'))), { maxLength: 5 })
  .map((entries) => Object.fromEntries(entries));

const setArb = fc.uniqueArray(valueArb, { maxLength: 3 }).map((values) => [...values].sort());

/** Parser-canonical trees: n-ary logic with two or more operands, sorted unique sets. */
const selectorArb: fc.Arbitrary<CalicoSelector> = fc.letrec<{ node: CalicoSelector }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<CalicoSelector>({ kind: 'all' }),
    fc.constant<CalicoSelector>({ kind: 'global' }),
    keyArb.map((key): CalicoSelector => ({ kind: 'has', key })),
    fc.tuple(fc.constantFrom('equals', 'notEquals', 'contains', 'startsWith', 'endsWith'), keyArb, valueArb).map(
      ([kind, key, value]): CalicoSelector => ({ kind, key, value }),
    ),
    fc.tuple(fc.constantFrom('in', 'notIn'), keyArb, setArb).map(([kind, key, values]): CalicoSelector => ({ kind, key, values })),
    tie('node').map((operand): CalicoSelector => ({ kind: 'not', operand })),
    fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(
      ([kind, operands]): CalicoSelector => ({ kind, operands }),
    ),
  ),
})).node;

function parsed(text: string): CalicoSelector {
  const result = parseCalicoSelector(text, { allowGlobal: true });
  if (!result.ok) throw new Error(`${JSON.stringify(text)}: col ${result.column}: ${result.message}`);
  return result.selector;
}

const matches = (text: string, labels: Labels): boolean => matchesCalicoSelector(parsed(text), labels);

// ---- A tiny independent reference: its own tree, its own rendering to text, its own evaluation. ----

type Spec =
  | { op: 'all' }
  | { op: 'has'; k: string }
  | { op: '==' | '!=' | 'contains' | 'starts with' | 'ends with'; k: string; v: string }
  | { op: 'in' | 'not in'; k: string; vs: string[] }
  | { op: '!'; x: Spec }
  | { op: '&&' | '||'; xs: Spec[] };

const specArb: fc.Arbitrary<Spec> = fc.letrec<{ spec: Spec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<Spec>({ op: 'all' }),
    keyArb.map((k): Spec => ({ op: 'has', k })),
    fc.tuple(fc.constantFrom('==', '!=', 'contains', 'starts with', 'ends with'), keyArb, valueArb).map(([op, k, v]): Spec => ({ op, k, v })),
    fc.tuple(fc.constantFrom('in', 'not in'), keyArb, fc.array(valueArb, { maxLength: 3 })).map(([op, k, vs]): Spec => ({ op, k, vs })),
    tie('spec').map((x): Spec => ({ op: '!', x })),
    fc.tuple(fc.constantFrom('&&', '||'), fc.array(tie('spec'), { minLength: 2, maxLength: 3 })).map(([op, xs]): Spec => ({ op, xs })),
  ),
})).spec;

function referenceMatch(spec: Spec, labels: Labels): boolean {
  const present = 'k' in spec && Object.hasOwn(labels, spec.k);
  const value = present ? String(labels[(spec as { k: string }).k]) : '';
  switch (spec.op) {
    case 'all': return true;
    case 'has': return present;
    case '==': return present && value === spec.v;
    case '!=': return !(present && value === spec.v);
    case 'contains': return present && value.indexOf(spec.v) >= 0;
    case 'starts with': return present && value.slice(0, spec.v.length) === spec.v;
    case 'ends with': return present && (spec.v === '' || value.slice(-spec.v.length) === spec.v);
    case 'in': return present && spec.vs.indexOf(value) >= 0;
    case 'not in': return !(present && spec.vs.indexOf(value) >= 0);
    case '!': return !referenceMatch(spec.x, labels);
    case '&&': return spec.xs.every((x) => referenceMatch(x, labels));
    case '||': return spec.xs.some((x) => referenceMatch(x, labels));
  }
}

/** Renders a spec in one of many spellings (quotes, spacing, redundant parentheses, `!!`) chosen by `pick`. */
function render(spec: Spec, pick: () => number): string {
  const sp = (): string => [' ', '', '  ', '\t'][pick() % 4]!;
  const q = (v: string): string => (v.includes('"') || (!v.includes("'") && pick() % 2 === 0) ? `'${v}'` : `"${v}"`);
  let text: string;
  switch (spec.op) {
    case 'all': text = `all(${sp()})`; break;
    case 'has': text = `has(${sp()}${spec.k}${sp()})`; break;
    case 'in':
    case 'not in': text = `${spec.k} ${spec.op}${sp()}{${sp()}${spec.vs.map(q).join(`${sp()},${sp()}`)}${sp()}}`; break;
    case '!': text = `!${sp()}(${render(spec.x, pick)})`; break;
    case '&&':
    case '||': text = spec.xs.map((x) => `(${render(x, pick)})`).join(`${sp()}${spec.op}${sp()}`); break;
    default: text = `${spec.k} ${spec.op}${sp()}${q(spec.v)}`;
  }
  switch (pick() % 5) {
    case 0: return `(${sp()}${text}${sp()})`;
    case 1: return `!!${text.startsWith('!') ? `(${text})` : text}`;
    default: return text;
  }
}

function picker(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state >>> 8;
  };
}

describe('Calico selector properties', () => {
  describe('#printCalicoSelector() round trip', () => {
    it('should parse printed text back to the same selector', () => {
      fc.assert(fc.property(selectorArb, (selector) => {
        expect(parsed(printCalicoSelector(selector))).to.deep.equal(selector);
      }), RUNS);
    });

    it('should print any spelling of a selector to one canonical text', () => {
      fc.assert(fc.property(specArb, fc.integer(), fc.integer(), (spec, a, b) => {
        expect(printCalicoSelector(parsed(render(spec, picker(a))))).to.equal(printCalicoSelector(parsed(render(spec, picker(b)))));
      }), RUNS);
    });
  });

  describe('#matchesCalicoSelector() against the reference', () => {
    it('should agree with the reference for generated selectors and label maps', () => {
      fc.assert(fc.property(specArb, fc.integer(), labelsArb, (spec, seed, labels) => {
        const text = render(spec, picker(seed));
        expect(matches(text, labels), text).to.equal(referenceMatch(spec, labels));
      }), RUNS);
    });

    it('should give the printed selector the meaning of the original', () => {
      fc.assert(fc.property(selectorArb, labelsArb, (selector, labels) => {
        expect(matchesCalicoSelector(parsed(printCalicoSelector(selector)), labels)).to.equal(matchesCalicoSelector(selector, labels));
      }), RUNS);
    });
  });

  describe('#matchesCalicoSelector() identities', () => {
    it('should satisfy De Morgan\'s laws and double negation', () => {
      fc.assert(fc.property(selectorArb, selectorArb, labelsArb, (x, y, labels) => {
        const px = printCalicoSelector(x);
        const py = printCalicoSelector(y);
        expect(matches(`!((${px}) && (${py}))`, labels)).to.equal(matches(`!(${px}) || !(${py})`, labels));
        expect(matches(`!((${px}) || (${py}))`, labels)).to.equal(matches(`!(${px}) && !(${py})`, labels));
        expect(matches(`!(!(${px}))`, labels)).to.equal(matches(px, labels));
      }), RUNS);
    });

    it('should match !has(k), k != v and k not in {...} on an absent key, and none of the positive operators', () => {
      fc.assert(fc.property(keyArb, valueArb, labelsArb, (k, v, withKey) => {
        const labels = Object.fromEntries(Object.entries(withKey).filter(([key]) => key !== k));
        const value = v.includes('"') ? `'${v}'` : `"${v}"`;
        for (const text of [`!has(${k})`, `${k} != ${value}`, `${k} not in {${value}}`, `${k} not in {}`]) expect(matches(text, labels), text).to.equal(true);
        for (const op of ['==', 'contains', 'starts with', 'ends with']) expect(matches(`${k} ${op} ${value}`, labels), op).to.equal(false);
        expect(matches(`has(${k})`, labels)).to.equal(false);
        expect(matches(`${k} in {${value}}`, labels)).to.equal(false);
      }), RUNS);
    });

    it('should tell !has(k) from k != v once the key is present', () => {
      fc.assert(fc.property(keyArb, valueArb, valueArb, labelsArb, (k, v, actual, others) => {
        const labels = { ...others, [k]: actual };
        const value = v.includes('"') ? `'${v}'` : `"${v}"`;
        expect(matches(`!has(${k})`, labels)).to.equal(false);
        expect(matches(`${k} != ${value}`, labels)).to.equal(actual !== v);
      }), RUNS);
    });
  });

  describe('#parseCalicoSelector() on any input', () => {
    it('should return a selector or an error with a column inside the text, never throw', () => {
      const alphabet = fc.constantFrom('(', ')', '{', '}', ',', '!', '=', '&', '|', "'", '"', ' ', 'a', 'in', 'not', 'has(', 'all(', 'global(', 'starts', 'with', '\n', 'é');
      const textArb = fc.oneof(fc.string({ maxLength: 40 }), fc.array(alphabet, { maxLength: 30 }).map((parts) => parts.join('')));
      fc.assert(fc.property(textArb, fc.boolean(), (text, allowGlobal) => {
        const result = parseCalicoSelector(text, { allowGlobal });
        if (result.ok) expect(parsed(printCalicoSelector(result.selector))).to.deep.equal(result.selector);
        else expect(result.column).to.be.within(1, text.length + 1);
      }), { numRuns: 1000 });
    });
  });
});

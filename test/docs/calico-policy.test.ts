import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { matchesCalicoSelector, parseCalicoSelector, type Labels } from '../../src/model/index.js';

async function section(heading: string): Promise<string> {
  const doc = await readFile('docs/calico-policy.md', 'utf8');
  const start = doc.indexOf(heading);
  expect(start, heading).to.be.greaterThan(-1);
  const end = doc.indexOf('\n#', start + heading.length);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/calico-policy.md', () => {
  it('should show selector examples whose match results the evaluator confirms', async () => {
    const rows = (await section('### 1.5 Examples')).split('\n').filter((line) => /^\| (`|\(empty\))/.test(line));
    expect(rows.length).to.be.greaterThan(15);
    for (const row of rows) {
      const cells = row.replaceAll('\\|', '\u0000').split('|').slice(1, -1).map((c) => c.trim().replaceAll('\u0000', '|'));
      const [selectorCell, labelsCell, expected] = cells as [string, string, string];
      const text = selectorCell === '(empty)' ? '' : selectorCell.slice(1, -1);
      const labels = JSON.parse(labelsCell.slice(1, -1)) as Labels;
      const parsed = parseCalicoSelector(text);
      expect(parsed.ok, text).to.equal(true);
      if (parsed.ok) expect(matchesCalicoSelector(parsed.selector, labels) ? 'yes' : 'no', `${text} on ${labelsCell}`).to.equal(expected);
    }
  });

  it('should show error messages the parser gives, with their columns', async () => {
    const block = /```\n([\s\S]*?)```/.exec(await section('### 1.3 Errors'))![1]!;
    const lines = block.trim().split('\n');
    expect(lines.length).to.be.greaterThan(2);
    for (const line of lines) {
      const [message, input] = line.split(/ +# /) as [string, string];
      const result = parseCalicoSelector(input.replaceAll('⏎', '\n'));
      expect(result.ok ? 'parsed' : `col ${result.column}: ${result.message}`, input).to.equal(message.trim());
    }
  });
});

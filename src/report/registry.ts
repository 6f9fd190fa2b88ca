import { HtmlReporter } from './html-reporter.js';
import { JsonReporter } from './json-reporter.js';
import { JunitReporter } from './junit-reporter.js';
import { MarkdownReporter } from './markdown-reporter.js';
import type { Reporter } from './reporter.js';
import { TableReporter } from './table-reporter.js';

const REPORTERS: readonly Reporter[] = [new TableReporter(), new JsonReporter(), new JunitReporter(), new MarkdownReporter(), new HtmlReporter()];

/** The reporter with this name, or undefined. */
export function getReporter(name: string): Reporter | undefined {
  return REPORTERS.find((r) => r.name === name);
}

/** Names of every reporter, in the order help texts list them. */
export function reporterNames(): string[] {
  return REPORTERS.map((r) => r.name);
}

/** The cells a check must list for these reporters: every cell when one of them needs it, else only slices with problems. */
export function checkListing(specs: readonly { readonly name: string }[]): Reporter['listing'] {
  return specs.some((spec) => getReporter(spec.name)?.listing !== 'problem-slices') ? 'every-cell' : 'problem-slices';
}

/** Collects repeatable `--reporter NAME[=FILE]` values for commander (kept apart from parsing, so defining a command loads no reporter). */
export function collectReporter(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

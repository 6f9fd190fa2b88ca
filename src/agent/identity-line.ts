const PREFIX = 'netseg ';
const MAX_LINE = 512;

/** The line a served port answers with: "netseg <identity>\n". */
export function formatIdentityLine(identity: string): string {
  return `${PREFIX}${identity}\n`;
}

/**
 * The identity in a server's answer: what follows "netseg " on the first line, or the raw first line
 * (bounded) when the peer is not a netseg agent, so a mismatch report shows what answered.
 */
export function parseIdentityLine(data: string): string {
  const newline = data.indexOf('\n');
  const line = (newline >= 0 ? data.slice(0, newline) : data).replace(/\r$/, '').slice(0, MAX_LINE);
  return line.startsWith(PREFIX) ? line.slice(PREFIX.length).trim() : line;
}

/** ANSI styles the table reporter uses; a no-op painter is used when colour is off. */
export type Style = 'red' | 'green' | 'yellow' | 'magenta' | 'dim' | 'bold';

const CODES: Record<Style, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** Wraps text in an ANSI style, or returns it unchanged when colour is off. */
export type Painter = (style: Style, text: string) => string;

/** A painter that colours only when `color` is true. */
export function painter(color: boolean): Painter {
  if (!color) return (_style, text) => text;
  return (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;
}

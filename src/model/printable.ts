// Every control character but tab and line feed; C1 controls (U+0080–U+009F) start escape sequences on some terminals too.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;

/**
 * Text safe to echo to a terminal: control characters become visible escapes (`\x1b`) and text
 * longer than `maxLength` is cut, saying how much was left out. `keepNewlines: false` also escapes
 * line feeds and tabs, for one-line messages.
 */
export function printable(text: string, maxLength = 300, keepNewlines = true): string {
  let shown = text;
  if (text.length > maxLength) {
    // Never split a surrogate pair: half a character would print as garbage.
    const end = /[\uD800-\uDBFF]/.test(text.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
    shown = `${text.slice(0, end)}… (${(text.length - end).toLocaleString('en-US')} more characters)`;
  }
  const escaped = shown.replace(CONTROL, escapeChar);
  return keepNewlines ? escaped : escaped.replace(/[\n\t]/g, escapeChar);
}

function escapeChar(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

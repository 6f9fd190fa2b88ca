// A small well-formedness checker for the XML/HTML netseg generates: balanced tags, quoted attributes, only known entities.

const VOID_HTML = new Set(['meta', 'br', 'hr', 'img', 'link', 'input']);

/** Throws when `text` is not well-formed (tags balanced, no raw `<` or `&` in text or attributes). */
export function assertWellFormed(text: string, options: { html?: boolean } = {}): void {
  const body = text.replace(/^<\?xml[^?]*\?>/, '').replace(/^\s*<!DOCTYPE html>/i, '');
  const stack: string[] = [];
  // HTML allows bare boolean attributes (<details open>); XML does not.
  const attr = options.html ? String.raw`(?:\s+[\w:-]+(?:="[^"<]*")?)*` : String.raw`(?:\s+[\w:-]+="[^"<]*")*`;
  const token = new RegExp(String.raw`<(\/?)([A-Za-z][\w-]*)(${attr})\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+);)`, 'g');
  let m: RegExpExecArray | null;
  while ((m = token.exec(body)) !== null) {
    if (m[0] === '<' || m[0] === '&') throw new Error(`unescaped "${m[0]}" at offset ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    const [, close, name, attrs, selfClose] = m as unknown as [string, string, string, string, string];
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/.test(attrs)) throw new Error(`unescaped & in attributes of <${name}>`);
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at offset ${m.index}`);
    } else if (!selfClose && !(options.html && VOID_HTML.has(name.toLowerCase()))) stack.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed tags: ${stack.join(', ')}`);
}

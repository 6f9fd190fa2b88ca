import { escapeXml as h } from '../escape.js';
import { inspectorBox, pageScript, pageStyle } from './page-assets.js';

/** A whole self-contained page around a body: head with the inline style, the inspector box and the inline script. */
export function htmlPage(title: string, body: readonly string[]): string {
  return ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', `<title>${h(title)}</title>`, pageStyle(), '</head>', '<body>', ...body, inspectorBox(), pageScript(), '</body>', '</html>', ''].join('\n');
}

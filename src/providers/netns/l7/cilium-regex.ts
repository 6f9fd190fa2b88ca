/**
 * RE2 constructs whose PCRE2 meaning differs or that HAProxy's PCRE2 (no UTF mode) cannot take:
 * `\C` (one byte), Unicode classes `\p` / `\P`, code points `\x{…}`, backslash-digit (RE2 has no
 * backreferences and reads `\0`-`\7` as octal), and any non-ASCII character.
 */
const UNTRANSLATABLE = /\\[CpP]|\\x\{|\\[0-9]|[^\x20-\x7e]/;

/**
 * A Cilium HTTP rule regex (RE2 syntax, matched against the whole value by Envoy) as an anchored
 * PCRE2 pattern for HAProxy: `^(?:…)\z` (`\z`: PCRE2's `$` would also match before a final newline). Everything else RE2 accepts (classes, POSIX classes in
 * brackets, repetition, `(?i)` flags, `\Q…\E`) means the same in PCRE2; undefined when the pattern
 * uses a construct listed above, so the cells it would judge are reported unsupported instead of guessed.
 */
export function re2ToPcre(re2: string): string | undefined {
  if (UNTRANSLATABLE.test(re2)) return undefined;
  return `^(?:${re2})\\z`;
}

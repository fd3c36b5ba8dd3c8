/**
 * Reads a list of origins written as text, the way environment variables and config files
 * hold them: separated by commas, spaces or newlines, in any mix, with stray separators
 * (`'https://a.example, https://b.example,'`) ignored. Port lists keep their commas
 * (`'https://example.com:[8443, 9443]'` stays one entry). The entries are only split here:
 * each is validated when the policy is compiled, like any other entry.
 *
 * @example
 * ```ts
 * OriginGuardModule.forRoot({ allowedOrigins: parseOriginList(process.env.WS_ORIGINS ?? '') });
 * parseOriginList('https://a.example, https://b.example,\n'); // ['https://a.example', 'https://b.example']
 * ```
 * @throws TypeError when `text` is not a string (an unset variable must be handled by the caller).
 * @publicApi
 */
export function parseOriginList(text: string): string[] {
  if (typeof text !== 'string') {
    throw new TypeError(
      `parseOriginList expects a string, got ${text === null ? 'null' : typeof text}: ` +
        "pass the variable's text, e.g. config.getOrThrow<string>('WS_ORIGINS')",
    );
  }
  const entries: string[] = [];
  let current = '';
  let inPortList = false;
  for (const char of text) {
    if (char === '[') inPortList = true;
    else if (char === ']') inPortList = false;
    if (!inPortList && (char === ',' || /\s/.test(char))) {
      if (current !== '') entries.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current !== '') entries.push(current);
  return entries;
}

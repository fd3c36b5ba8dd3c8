/**
 * Fetch Metadata (`Sec-Fetch-Site`, `Sec-Fetch-Mode`) as a second signal for requests that
 * carry no `Origin`.
 *
 * A missing `Origin` does not prove a non-browser client: browsers omit it on no-cors GETs
 * (`<script src>`, `<img src>`), on navigations, and on same-origin GETs. Chromium, Firefox and
 * Safari send Fetch Metadata on every request to a potentially trustworthy URL (https, or
 * localhost), and a page cannot remove or forge it. A socket client's own requests are
 * `cors`/`same-origin`/`websocket` mode and, without `Origin`, only ever same-origin; so an
 * Origin-less request marked cross-site, same-site, no-cors or navigate was made by a browser
 * for a page that is not the app's own, and is refused whatever `allowMissingOrigin` says.
 *
 * Not a replacement for `Origin`: over plain http to a non-local host browsers send no Fetch
 * Metadata, and non-browser clients send whatever they like.
 */

/** `Sec-Fetch-Site` values a browser uses for a request made by another site's page. */
const FOREIGN_SITES = new Set(['cross-site', 'same-site']);
/** `Sec-Fetch-Mode` values no socket client uses: tags, iframes and navigations. */
const PAGE_MODES = new Set(['no-cors', 'navigate']);

/**
 * Describes the Fetch Metadata that marks an Origin-less request as a browser's request for
 * another page (e.g. `Sec-Fetch-Site: same-site, Sec-Fetch-Mode: no-cors`, values as
 * received), or `undefined` when it carries none that does.
 *
 * @param rawHeaders Node's `IncomingMessage.rawHeaders`: names and values, alternating.
 */
export function foreignBrowserRequest(rawHeaders: readonly string[]): string | undefined {
  let site: string | undefined;
  let mode: string | undefined;
  let foreign = false;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    // Both names are 14 characters: one length test skips nearly every header.
    if (name.length !== 14) continue;
    const lower = name.toLowerCase();
    const value = rawHeaders[i + 1]!;
    const token = value.trim().toLowerCase();
    if (lower === 'sec-fetch-site') {
      site = site === undefined ? value : `${site}, ${value}`;
      foreign ||= FOREIGN_SITES.has(token);
    } else if (lower === 'sec-fetch-mode') {
      mode = mode === undefined ? value : `${mode}, ${value}`;
      foreign ||= PAGE_MODES.has(token);
    }
  }
  if (!foreign) return undefined;
  const shown: string[] = [];
  if (site !== undefined) shown.push(`Sec-Fetch-Site: ${site}`);
  if (mode !== undefined) shown.push(`Sec-Fetch-Mode: ${mode}`);
  return shown.join(', ');
}

/**
 * Whether an engine.io request asks for JSONP polling: engine.io 6 picks its JSONP transport
 * whenever the query has a `j` parameter, and answers with executable script, which a
 * `<script src>` on any page can load with the user's cookies and without `Origin`.
 *
 * Engine.io reads the query with `URLSearchParams`, which decodes names (`%6A=0` is `j`);
 * so does this, over the whole target (fragment included), so that it finds a `j` wherever
 * engine.io could. Requests with neither `j` nor `%` in their query skip the parse.
 */
export function isJsonpRequest(url: string | undefined): boolean {
  if (url === undefined) return false;
  const start = url.indexOf('?');
  if (start === -1) return false;
  const query = url.slice(start + 1);
  if (!query.includes('j') && !query.includes('%')) return false;
  return new URLSearchParams(query).has('j');
}

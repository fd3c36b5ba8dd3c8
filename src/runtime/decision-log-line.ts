import type { DecisionFacts } from '../policy/decision-event.js';

/** The log line for a decision, or `undefined` for a plain allowed one. */
export function describeDecision(event: DecisionFacts): string | undefined {
  const { stage, verdict, reportOnly, reason, origin, detail } = event;
  const shownOrigin = origin === undefined ? '(none)' : quoteForLog(origin);
  const shownDetail = detail === undefined ? '' : ` detail=${quoteForLog(detail)}`;
  const client = `remoteAddress=${quoteOrNone(event.remoteAddress)} userAgent=${quoteOrNone(event.userAgent)}`;
  const where =
    stage === 'message'
      ? `handler=${event.gateway ?? '(unknown)'} ${client}`
      : `path=${quoteForLog(event.path)} gateway=${event.gateway ?? '(none)'} ${client}`;
  if (verdict === 'allowed') {
    if (detail === undefined) return undefined;
    return `Allowed WebSocket ${stage} although a predicate failed (predicates.onFailure: 'allow'): origin=${shownOrigin}${shownDetail} ${where}`;
  }
  const head = reportOnly
    ? `Would refuse WebSocket ${stage} (report-only)`
    : `Refused WebSocket ${stage}`;
  let line = `${head}: reason=${reason} origin=${shownOrigin}${shownDetail} ${where}`;
  if (reason === 'not_allowed') {
    line += `. If this page is yours, add ${shownOrigin.replaceAll('"', "'")} to the allowed origins.`;
  } else if (reason === 'missing' && detail === undefined) {
    line += '. Non-browser clients send no Origin; set allowMissingOrigin: true to accept them.';
  } else if (reason === 'browser_without_origin') {
    line +=
      '. A browser sent this request without Origin (a <script>, <img> or navigation); no allowMissingOrigin setting accepts it.';
  } else if (reason === 'jsonp') {
    line +=
      '. JSONP polling (a j= query parameter) lets a <script> tag on any site use the session; set allowJsonpPolling: true only if legacy clients need it.';
  }
  return line;
}

const MAX_LOGGED_LENGTH = 120;
/** Printable ASCII other than `"` and `\\`: what `quoteForLog` shows unchanged. */
const PLAIN_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function quoteOrNone(text: string | undefined): string {
  return text === undefined ? '(none)' : quoteForLog(text);
}

/** Quotes attacker-controlled text: truncated, with quotes, backslashes and non-printables escaped. */
export function quoteForLog(text: string): string {
  // Most values (origins, addresses, user agents) need no escaping: skip the per-character walk.
  if (text.length <= MAX_LOGGED_LENGTH && PLAIN_TEXT.test(text)) return `"${text}"`;
  const cut = text.length > MAX_LOGGED_LENGTH;
  const shown = cut ? text.slice(0, MAX_LOGGED_LENGTH) : text;
  let escaped = '';
  for (const char of shown) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') escaped += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) escaped += char;
    else if (code <= 0xff) escaped += `\\x${code.toString(16).padStart(2, '0')}`;
    else escaped += `\\u{${code.toString(16)}}`;
  }
  return `"${escaped}"${cut ? `…(${text.length} chars)` : ''}`;
}

/**
 * Why a handshake was refused.
 *
 * - `missing`: no `Origin` header and `allowMissingOrigin` is off.
 * - `browser_without_origin`: no `Origin` header, but Fetch Metadata shows a browser's request
 *   for another site's page or a tag/navigation (`Sec-Fetch-Site: cross-site` or `same-site`,
 *   `Sec-Fetch-Mode: no-cors` or `navigate`); refused whatever `allowMissingOrigin` says.
 * - `jsonp`: an engine.io JSONP polling request (`j=` in the query), which a `<script>` tag on
 *   any site can make without `Origin`; refused unless `allowJsonpPolling` is set.
 * - `null`: `Origin: null` (sandboxed iframes, `file:` and `data:` pages) and `'null'` is not listed.
 * - `malformed`: not a single canonical serialized origin (see `parseSerializedOrigin`).
 * - `duplicate`: more than one `Origin` / `Sec-WebSocket-Origin` header line.
 * - `not_allowed`: a well-formed origin that no entry matches.
 * - `predicate_failed`: a predicate threw, timed out or answered something other than a
 *   boolean, and `predicates.onFailure` is `'refuse'`.
 *
 * @example
 * ```ts
 * onDecision: (event) => event.reason === 'not_allowed' && alert(event.origin)
 * ```
 * @publicApi
 */
export type RefusalReason =
  | 'missing'
  | 'browser_without_origin'
  | 'jsonp'
  | 'null'
  | 'malformed'
  | 'duplicate'
  | 'not_allowed'
  | 'predicate_failed';

/**
 * The verdict of `OriginPolicy.evaluate()`: allowed, with the normalized origin and the entry
 * that matched, or refused, with the reason and the raw claimed value.
 *
 * @example
 * ```ts
 * const decision = await policy.evaluate(req, { gateways: [] });
 * if (!decision.allowed) console.warn(decision.reason, decision.claimed);
 * ```
 * @publicApi
 */
export type OriginDecision =
  | {
      readonly allowed: true;
      readonly origin: string | undefined;
      /** The configured entry that matched; `undefined` for an allowed missing origin. */
      readonly matchedEntry: string | undefined;
      /** Set when a predicate failed and `predicates.onFailure` is `'allow'`. */
      readonly failure?: string;
    }
  | {
      readonly allowed: false;
      readonly reason: RefusalReason;
      /** The raw claimed value (for logs only; never trusted), `undefined` when missing. */
      readonly claimed: string | undefined;
      /**
       * For `malformed`: what is wrong with the value; for `browser_without_origin`: the Fetch
       * Metadata headers that gave the browser away.
       */
      readonly detail?: string;
    };

/** An allowed decision: what an adapter hands on with an accepted handshake. */
export type AllowedDecision = Extract<OriginDecision, { allowed: true }>;

/**
 * One thing wrong with the configuration, located precisely enough to fix it.
 *
 * @example
 * ```ts
 * { at: 'allowedOrigins[0]', value: '"example.com"', problem: 'has no scheme', fix: "write the full origin, with the scheme your pages are served over: 'https://example.com'" }
 * ```
 * @publicApi
 */
export interface ConfigProblem {
  /** Where it is, e.g. `allowedOrigins[2]` or `@AllowedOrigins() on ChatGateway, entry [0]`. */
  readonly at: string;
  /** The offending value, rendered for a human. */
  readonly value: string;
  readonly problem: string;
  /** What to write instead; an entry it names (in single quotes) is one the validator accepts. */
  readonly fix: string;
}

/**
 * Thrown at bootstrap when the origin policy cannot be built. It lists every problem at once,
 * so one restart is enough to fix them all.
 *
 * @example
 * ```ts
 * try {
 *   await NestFactory.create(AppModule);
 * } catch (error) {
 *   if (error instanceof OriginGuardConfigError) console.error(error.problems);
 * }
 * ```
 * @publicApi
 */
export class OriginGuardConfigError extends Error {
  override readonly name = 'OriginGuardConfigError';

  constructor(
    readonly context: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(OriginGuardConfigError.render(context, problems));
  }

  private static render(context: string, problems: readonly ConfigProblem[]): string {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map(
      (p) =>
        `  - ${p.at} = ${p.value}: ${p.problem}. Fix: ${p.fix}${/[.?!]$/.test(p.fix) ? '' : '.'}`,
    );
    return [`${context}: invalid origin policy (${count}):`, ...lines].join('\n');
  }
}

/** Renders a configured value the way it would be written in code, truncated. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(truncate(value, 80));
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value instanceof RegExp) return value.toString();
  try {
    return truncate(JSON.stringify(value) ?? String(value), 80);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

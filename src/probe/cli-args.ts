import { parseArgs } from 'node:util';
import { ProbeError } from './probe-error.js';
import type { ProbeOptions } from './probe-options.js';
import { HELP_TEXT } from './help-text.js';

export type CliCommand =
  | { readonly kind: 'help'; readonly text: string }
  | {
      readonly kind: 'probe';
      readonly url: string;
      readonly options: ProbeOptions;
      readonly json: boolean;
      readonly noColor: boolean;
    };

const OPTIONS = {
  allowed: { type: 'string', multiple: true },
  'socket.io': { type: 'boolean' },
  path: { type: 'string' },
  cookie: { type: 'string' },
  'browser-only': { type: 'boolean' },
  json: { type: 'boolean' },
  insecure: { type: 'boolean' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads `argv` (without `node` and the script). Anything wrong is a `ProbeError` (exit 2). */
export function parseCli(argv: readonly string[]): CliCommand {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ProbeError(`${firstSentence((error as Error).message)} (see --help)`);
  }
  const { values, positionals } = parsed;
  const [command, url, ...extra] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    return { kind: 'help', text: HELP_TEXT };
  }
  if (command !== 'probe') {
    throw new ProbeError(
      `Unknown command ${JSON.stringify(command)}: the command is "probe" (see --help).`,
    );
  }
  if (url === undefined)
    throw new ProbeError(
      'Give the endpoint to probe, e.g. probe wss://app.example.com/chat (see --help).',
    );
  if (extra.length > 0)
    throw new ProbeError(`Unexpected argument ${JSON.stringify(extra[0])} (see --help).`);
  const allowed = (values.allowed ?? []).flatMap((list) =>
    list
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  );
  const options: ProbeOptions = {
    allowed,
    transport: values['socket.io'] === true ? 'socket.io' : 'ws',
    ...(values.path === undefined ? {} : { path: values.path }),
    ...(values.cookie === undefined ? {} : { cookie: values.cookie }),
    browserOnly: values['browser-only'] === true,
    insecure: values.insecure === true,
    ...(values.timeout === undefined ? {} : { timeoutMs: integer('--timeout', values.timeout) }),
    ...(values.concurrency === undefined
      ? {}
      : { concurrency: integer('--concurrency', values.concurrency) }),
  };
  return {
    kind: 'probe',
    url,
    options,
    json: values.json === true,
    noColor: values['no-color'] === true,
  };
}

function integer(flag: string, text: string): number {
  if (!/^[0-9]+$/.test(text))
    throw new ProbeError(`${flag} takes a whole number, not ${JSON.stringify(text)}.`);
  return Number(text);
}

function firstSentence(message: string): string {
  return message.split(/\.\s/)[0]!.replace(/\.$/, '');
}

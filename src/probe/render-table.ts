import type { ProbeReport, ProbeResult } from './report.js';

export interface RenderOptions {
  /** ANSI colours: only for a terminal, and never with `NO_COLOR`. */
  readonly color: boolean;
}

const ANSI = { red: '31', green: '32', yellow: '33', dim: '2', bold: '1' } as const;
type Tone = keyof typeof ANSI;

const MAX_CELL = 72;

/**
 * The report for a human: a table (VARIANT, REQUEST for Socket.IO, SENT, STATUS, VERDICT),
 * then any hints, then the one-line summary. Cells are escaped (the status text comes from
 * the server) and padded by their printed width.
 */
export function renderReport(report: ProbeReport, options: RenderOptions): string {
  const socketIo = report.transport === 'socket.io';
  const header = socketIo
    ? ['VARIANT', 'REQUEST', 'SENT', 'STATUS', 'VERDICT']
    : ['VARIANT', 'SENT', 'STATUS', 'VERDICT'];
  const rows = report.results.map((result) => {
    const cells = [result.label, result.sent, result.statusText, result.verdict];
    if (socketIo) cells.splice(1, 0, result.request);
    return cells.map(cell);
  });
  const widths = header.map((name, column) =>
    Math.max(name.length, ...rows.map((row) => row[column]!.length)),
  );
  const paint = (text: string, tone: Tone | undefined) =>
    options.color && tone !== undefined ? `\u001b[${ANSI[tone]}m${text}\u001b[0m` : text;
  const line = (cells: readonly string[], tones: readonly (Tone | undefined)[]) =>
    cells
      .map((text, column) =>
        column === cells.length - 1
          ? paint(text, tones[column])
          : paint(text.padEnd(widths[column]!), tones[column]),
      )
      .join('  ');
  const lines = [
    line(
      header,
      header.map(() => 'bold'),
    ),
  ];
  report.results.forEach((result, index) => {
    const tones: (Tone | undefined)[] = header.map(() => undefined);
    tones[tones.length - 1] = toneOf(result);
    lines.push(line(rows[index]!, tones));
  });
  lines.push('');
  for (const hint of report.hints) lines.push(paint(`hint: ${hint}`, 'yellow'));
  const summaryTone: Tone =
    report.outcome === 'safe' ? 'green' : report.outcome === 'vulnerable' ? 'red' : 'yellow';
  lines.push(paint(report.summary, summaryTone));
  return `${lines.join('\n')}\n`;
}

function toneOf(result: ProbeResult): Tone | undefined {
  if (result.failure) return 'red';
  if (result.outcome === 'no-answer' || result.outcome === 'unreachable') return 'yellow';
  if (result.kind === 'control' && result.outcome !== 'accepted') return 'yellow';
  if (result.kind === 'native' && result.outcome === 'accepted') return 'yellow';
  return 'green';
}

/** Printable ASCII as it is; anything else as a `\u{…}` escape, so columns stay aligned. */
export function cell(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out += code >= 0x20 && code < 0x7f ? char : `\\u{${code.toString(16)}}`;
  }
  return out.length > MAX_CELL ? `${out.slice(0, MAX_CELL - 1)}…` : out;
}

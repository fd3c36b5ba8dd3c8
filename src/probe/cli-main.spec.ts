import { describe, expect, it } from 'vitest';
import { runCli } from './cli-main.js';

/** Runs the CLI with a fake terminal; the closed port makes a report without any server. */
async function run(argv: string[], env: Record<string, string> = {}, isTTY = true) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}

const CLOSED = ['probe', 'ws://127.0.0.1:1/ws', '--allowed', 'https://app.example.com'];
const ESCAPE = '\u001b[';

describe('runCli colours', () => {
  it('colours the report on a terminal', async () => {
    const { code, stdout } = await run(CLOSED);
    expect(code).toBe(2);
    expect(stdout).toContain(`${ESCAPE}33mNOT PROBED`);
  });

  it.each([
    ['NO_COLOR is set', CLOSED, { NO_COLOR: '1' }, true],
    ['--no-color is given', [...CLOSED, '--no-color'], {}, true],
    ['stdout is not a terminal', CLOSED, {}, false],
  ])('uses none when %s', async (_case, argv, env, isTTY) => {
    const { stdout } = await run(argv, env, isTTY);
    expect(stdout).toContain('NOT PROBED');
    expect(stdout).not.toContain(ESCAPE);
  });

  it('with --json, writes the report and no colour', async () => {
    const { stdout } = await run([...CLOSED, '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'not-probed', exitCode: 2, requests: 1 });
  });

  it('writes argument errors to stderr (and, with --json, a JSON verdict to stdout)', async () => {
    expect(await run(['probe', 'ws://127.0.0.1:1/ws'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'nestjs-origin-guard: Say which origin is allowed (--allowed https://app.example.com): the probe checks that it is accepted and derives the hostile variants from it.\n',
    });
    const json = await run(['probe', 'ws://127.0.0.1:1/ws', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ outcome: 'not-probed', exitCode: 2 });
  });
});

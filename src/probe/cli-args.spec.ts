import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-args.js';
import { HELP_TEXT } from './help-text.js';

describe('parseCli', () => {
  it('reads a probe command with every flag', () => {
    expect(
      parseCli([
        'probe',
        'https://app.example.com',
        '--socket.io',
        '--allowed',
        'https://app.example.com, https://admin.example.com',
        '--allowed',
        'https://other.example',
        '--path',
        '/io/',
        '--cookie',
        'session=abc',
        '--browser-only',
        '--json',
        '--insecure',
        '--timeout',
        '2000',
        '--concurrency',
        '2',
        '--no-color',
      ]),
    ).toEqual({
      kind: 'probe',
      url: 'https://app.example.com',
      json: true,
      noColor: true,
      options: {
        allowed: ['https://app.example.com', 'https://admin.example.com', 'https://other.example'],
        transport: 'socket.io',
        path: '/io/',
        cookie: 'session=abc',
        browserOnly: true,
        insecure: true,
        timeoutMs: 2000,
        concurrency: 2,
      },
    });
  });

  it('defaults to ws, no cookie, the default timeout and concurrency', () => {
    expect(parseCli(['probe', 'ws://h/chat', '--allowed=https://h'])).toEqual({
      kind: 'probe',
      url: 'ws://h/chat',
      json: false,
      noColor: false,
      options: { allowed: ['https://h'], transport: 'ws', browserOnly: false, insecure: false },
    });
  });

  it.each([[[]], [['--help']], [['probe', '-h']], [['help']]])('prints help for %j', (argv) => {
    expect(parseCli(argv)).toEqual({ kind: 'help', text: HELP_TEXT });
  });

  it.each([
    [['probe'], 'Give the endpoint to probe, e.g. probe wss://app.example.com/chat (see --help).'],
    [['probe', 'ws://h', 'ws://i'], 'Unexpected argument "ws://i" (see --help).'],
    [['probe', 'ws://h', '--timeout', '1.5'], '--timeout takes a whole number, not "1.5".'],
    [
      ['probe', 'ws://h', '--concurrency', '-1'],
      "Option '--concurrency' argument is ambiguous (see --help)",
    ],
    [['probe', 'ws://h', '--allowed'], "Option '--allowed <value>' argument missing (see --help)"],
    [['attack', 'ws://h'], 'Unknown command "attack": the command is "probe" (see --help).'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});

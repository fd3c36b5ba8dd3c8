import type { EntryProblem } from './origin-entry.js';

/**
 * Turns what the strict origin parser found wrong with a configured entry into a problem and a
 * fix written as the entry the user meant.
 */
export function explainSyntaxError(entry: string, error: string): EntryProblem {
  if (error.startsWith('has no scheme')) {
    return {
      problem: 'has no scheme',
      fix: `write the full origin, e.g. 'https://${entry.replace(/^\/*/, '')}'`,
    };
  }
  if (error.startsWith('has a path')) {
    const origin = /^[^:]+:\/\/[^/?#]*/.exec(entry)?.[0] ?? entry;
    return { problem: error, fix: `an origin has no path: write '${origin}'` };
  }
  if (error.startsWith('has a query')) {
    const origin = /^[^:]+:\/\/[^/?#]*/.exec(entry)?.[0] ?? entry;
    return { problem: error, fix: `remove it: write '${origin}'` };
  }
  if (error.startsWith('contains userinfo')) {
    return { problem: error, fix: "remove the 'user@' part: an origin never carries credentials" };
  }
  if (error.startsWith('has a trailing dot')) {
    return { problem: error, fix: 'remove the trailing dot (such origins are never allowed)' };
  }
  if (error.startsWith('has port')) {
    return { problem: error, fix: 'use a port from 1 to 65535, or leave it out for the default' };
  }
  if (error.startsWith('contains whitespace')) {
    return {
      problem: error,
      fix: 'remove the whitespace; list several origins as separate entries',
    };
  }
  return {
    problem: error,
    fix: "write it as scheme://host[:port], e.g. 'https://app.example.com'",
  };
}

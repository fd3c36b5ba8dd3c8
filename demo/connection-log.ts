/**
 * The line the chat gateways log for every socket that reaches them, so the console shows who
 * got in and from where. Origin and user name come from the client: quoted, so they cannot
 * forge log lines.
 */
export function describeConnection(origin: string | undefined, user: string | undefined): string {
  const shownOrigin = origin === undefined ? '(none)' : JSON.stringify(origin);
  const shownUser = user === undefined ? '(no session)' : JSON.stringify(user);
  return `Socket opened: origin=${shownOrigin} user=${shownUser}`;
}

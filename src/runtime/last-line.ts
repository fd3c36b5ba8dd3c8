/**
 * The last log line built and the values it was built from, so that a line identical to the
 * previous one (a flood of one refusal from one client) is not built again only to be counted
 * as a repeat by the rate limit. Values are compared by identity, in order: the caller passes
 * exactly the values the line is a function of.
 */
export class LastLine {
  private inputs: readonly unknown[] = [];
  private built = '';

  /** The line for `inputs`: the last one when they are the last inputs, else `build()`. */
  line(inputs: readonly unknown[], build: () => string): string {
    if (!sameValues(inputs, this.inputs)) {
      this.built = build();
      this.inputs = inputs;
    }
    return this.built;
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

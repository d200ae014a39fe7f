import pc from 'picocolors';

/** True when `out` should get colour: a terminal, without NO_COLOR set (no-color.org) or TERM=dumb. */
export function colorEnabled(out: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(out.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function colorsFor(out: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ReturnType<typeof pc.createColors> {
  return pc.createColors(colorEnabled(out, env));
}

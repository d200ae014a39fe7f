import pc from 'picocolors';

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function colorsFor(out: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ReturnType<typeof pc.createColors> {
  const enabled = Boolean(out.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  return pc.createColors(enabled);
}

/**
 * NO_COLOR (https://no-color.org: set to any non-empty value) turns colour off everywhere. Commander honours it, but
 * the chalk inside ink (the terminal UI) reads only FORCE_COLOR, once, when it loads: so NO_COLOR becomes
 * FORCE_COLOR=0 here, imported by the executable before anything that loads ink or chalk. FORCE_COLOR=0 alone already
 * turns chalk's colour off; a non-TTY standard output gets none either.
 */
export function honourNoColor(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') env.FORCE_COLOR = '0';
}

honourNoColor();

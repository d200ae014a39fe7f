import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { USAGE, parseArguments } from './args.js';
import { generate } from './generate.js';
import { UsageError, protocolNames } from './names.js';

/** Where `newProtocol` writes its messages. */
export interface Output {
  log(text: string): void;
  error(text: string): void;
}

/**
 * `pnpm new-protocol` with `argv` (the arguments after the command), creating the package
 * under `root`. Returns the exit status: 0 done, 2 bad usage (nothing written).
 */
export function newProtocol(argv: readonly string[], root: string, out: Output = console): number {
  try {
    const args = parseArguments(argv);
    if (!args) {
      out.log(USAGE);
      return 0;
    }
    if (!existsSync(join(root, 'pnpm-workspace.yaml'))) throw new Error(`no pnpm-workspace.yaml in ${root}`);
    const names = protocolNames(args.name, args.wiresharkName);
    const result = generate({ root, names, carrier: args.carrier });
    for (const w of result.warnings) out.error(`warning: ${w}`);
    out.log(
      [
        `Created @pcap/${names.name}:`,
        ...result.files.map((f) => `  ${f}`),
        '',
        'Next:',
        '  pnpm install',
        `  pnpm --filter @pcap/${names.name} build`,
        `  npx vitest run --project pure packages/${names.name}`,
        '',
        `Then replace the placeholder header: look for TODO(${names.name}) in packages/${names.name}.`,
      ].join('\n'),
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`new-protocol: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

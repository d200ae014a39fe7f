import { fileURLToPath } from 'node:url';
import { newProtocol } from './main.js';

/** The workspace this tool belongs to: tools/scaffold/dist → the root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

process.exitCode = newProtocol(process.argv.slice(2), ROOT);

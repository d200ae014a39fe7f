export { run, type Io } from './main.js';
export { ExitCode, CliError, UsageError } from './errors.js';

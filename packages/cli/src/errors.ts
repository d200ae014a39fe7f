/** Exit statuses a script can rely on. */
export const ExitCode = {
  OK: 0,
  /** A runtime error: unreadable or corrupt input, capture failure. */
  RUNTIME: 1,
  /** Bad arguments. */
  USAGE: 2,
} as const;

/** An error the command reports as one line and turns into an exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.RUNTIME,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.USAGE);
  }
}

/**
 * The checks every package's misuse tests make of an argument error: thrown at the call, of
 * the right class and Node code, naming the function and the argument, saying what was got
 * and, when asked, what to do. A mismatch throws an Error that shows the message it got.
 */
export function argumentError(
  call: () => unknown,
  kind: typeof TypeError | typeof RangeError,
  fn: string,
  argument: string,
  got: string,
  hint?: RegExp,
): Error {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  const where = `${fn} ${argument}`;
  if (!(error instanceof kind)) {
    throw new Error(`${where}: expected a ${kind.name}, got ${error === undefined ? 'no error' : String(error)}`);
  }
  const message = error.message;
  const code = (error as { code?: string }).code;
  const wantCode = kind === TypeError ? 'ERR_INVALID_ARG_TYPE' : 'ERR_OUT_OF_RANGE';
  const problems: string[] = [];
  if (!message.startsWith(`${fn}: ${argument} must be `)) problems.push(`does not start "${fn}: ${argument} must be "`);
  if (!message.includes(`, got ${got}`)) problems.push(`does not say ", got ${got}"`);
  if (hint && !hint.test(message)) problems.push(`does not match ${hint}`);
  if (code !== wantCode) problems.push(`has code ${code}, not ${wantCode}`);
  if (problems.length > 0) throw new Error(`${where}: the message ${problems.join(', ')}\n  message: ${message}`);
  return error;
}

/**
 * The unknown-option warnings `call` emits, as the messages Node would print: each is a
 * process warning of type `PcapWarning` and code `PCAP_UNKNOWN_OPTION`. Warnings of other
 * kinds are not collected; a call that throws still returns what it warned first.
 */
export function unknownOptionWarnings(call: () => unknown): string[] {
  const got: string[] = [];
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, options?: { type?: string; code?: string }) => {
    if (typeof warning === 'string' && options?.type === 'PcapWarning' && options.code === 'PCAP_UNKNOWN_OPTION') got.push(warning);
    else original.call(process, warning as string, options as never);
  }) as typeof process.emitWarning;
  try {
    call();
  } catch {
    // The warnings are the point here; a call that throws has its own tests.
  } finally {
    process.emitWarning = original;
  }
  return got;
}

/** IPv6 "no next header" (59): nothing follows; bytes left over are reported in `_error`. */
class NoNext {
  _error: string | undefined = undefined;
  decode(raw: Uint8Array, offset: number): this {
    const left = raw.length - offset;
    if (left !== 0) {
      this._error = `There is more packet left to be parse,but NoNext.decode was called with ${left} bytes left.`;
    }
    return this;
  }
  toString(): string {
    return '';
  }
}

export = NoNext;

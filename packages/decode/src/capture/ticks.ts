/**
 * pcapng timestamps are 64-bit tick counts in a per-interface unit (`if_tsresol`). These
 * helpers split them into seconds and nanoseconds exactly, with plain numbers on the common
 * paths (micro- to nanosecond units) and BigInt only for unusual units.
 */

const TWO32 = 4294967296;

/** Seconds and nanoseconds of a tick count; shared result object, copy before the next call. */
export interface SplitTime {
  seconds: number;
  nanoseconds: number;
}

/** How to turn ticks of one interface into time. */
export interface TickUnit {
  /** Ticks per second when it is 10^1...10^9, else 0. */
  readonly decimal: number;
  /** Nanoseconds per tick for decimal units (10^(9-n)). */
  readonly nanosPerTick: number;
  /** Ticks per second as a BigInt, for every other unit. */
  readonly big: bigint;
}

/** The unit of an `if_tsresol` value: below 128, 10^-value seconds; otherwise 2^-(value & 127). */
export function tickUnit(tsresol: number): TickUnit {
  if (tsresol < 128 && tsresol >= 1 && tsresol <= 9) {
    const decimal = 10 ** tsresol;
    return { decimal, nanosPerTick: 10 ** (9 - tsresol), big: BigInt(decimal) };
  }
  const big = tsresol < 128 ? 10n ** BigInt(tsresol) : 1n << BigInt(tsresol & 0x7f);
  return { decimal: 0, nanosPerTick: 0, big };
}

/**
 * Splits the tick count `hi * 2^32 + lo` into whole seconds and nanoseconds (truncated),
 * writing into `out`.
 */
export function splitTicks(hi: number, lo: number, unit: TickUnit, out: SplitTime): SplitTime {
  const d = unit.decimal;
  if (d !== 0) {
    if (hi < 0x200000) {
      // Below 2^53 the value and the product seconds * d are exact doubles.
      const v = hi * TWO32 + lo;
      let s = Math.floor(v / d);
      let r = v - s * d;
      if (r < 0) {
        s--;
        r += d;
      } else if (r >= d) {
        s++;
        r -= d;
      }
      out.seconds = s;
      out.nanoseconds = r * unit.nanosPerTick;
      return out;
    }
    // Long division by 16-bit digits: every intermediate stays below 2^53 since d <= 10^9.
    let q = 0;
    let r = 0;
    const digits = [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff];
    for (const digit of digits) {
      const x = r * 65536 + digit;
      const qd = Math.floor(x / d);
      r = x - qd * d;
      q = q * 65536 + qd;
    }
    out.seconds = q;
    out.nanoseconds = r * unit.nanosPerTick;
    return out;
  }
  const v = (BigInt(hi) << 32n) | BigInt(lo);
  const per = unit.big;
  out.seconds = Number(v / per);
  out.nanoseconds = Number(((v % per) * 1_000_000_000n) / per);
  return out;
}

/** The tick count of a time in `unit` ticks, as [high 32 bits, low 32 bits]; truncates below one tick. */
export function joinTicks(seconds: number, nanoseconds: number, unit: TickUnit): [number, number] {
  let v: bigint;
  if (unit.decimal === 1_000_000 && seconds >= 0 && seconds < 9e9) {
    const t = seconds * 1e6 + Math.floor(nanoseconds / 1000);
    const hi = Math.floor(t / TWO32);
    return [hi, t - hi * TWO32];
  }
  const ns = BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);
  v = (ns * unit.big) / 1_000_000_000n;
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`time ${seconds}.${String(nanoseconds).padStart(9, '0')} s (after the interface's tsoffset) does not fit an unsigned 64-bit pcapng timestamp`);
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

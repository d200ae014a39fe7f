import { FieldSelector, formatEpoch, TcpSequenceBases, writeRecordSummary, writeSummary, UnknownFieldError, type CaptureRecord, type TextBuffer } from '@pcap/decode';
import pc from 'picocolors';
import { UsageError } from '../errors.js';
import { decodeRecord } from '../records.js';
import { clockTime, writeClockTime } from '../time.js';
import { hexDump } from './hexdump.js';
import { layerViews } from './layers.js';

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Writes the text printed for a packet (one or more lines, each with its newline) into `out`;
 * a printer decodes the packet itself, where it needs the tree.
 */
export type Printer = (rec: CaptureRecord, out: TextBuffer) => void;

export interface LineOptions {
  /** Add the layer tree under each line. */
  verbose?: boolean;
  /** Add a hex dump of the packet under each line. */
  hex?: boolean;
  /** Counts TCP sequence numbers relative to each conversation's first, as tcpdump prints them without -S. */
  tcpSequence?: TcpSequenceBases | undefined;
  colors: Colors;
}

/** tcpdump's default: time and summary, optionally with a layer tree and a hex dump. */
export function linePrinter(opts: LineOptions): Printer {
  const c = opts.colors;
  const summary = opts.tcpSequence ? { tcpSequence: opts.tcpSequence } : {};
  return (rec, out) => {
    if (c.isColorSupported) out.text(c.dim(clockTime(rec.seconds, rec.nanoseconds)));
    else writeClockTime(out, rec.seconds, rec.nanoseconds);
    out.byte(0x20);
    if (!opts.verbose) {
      // Read straight from the bytes where the packet allows; the tree is made only for -v.
      writeRecordSummary(rec, out, undefined, summary);
    } else {
      const pkt = decodeRecord(rec);
      writeSummary(pkt, out, undefined, summary);
      for (const v of layerViews(pkt)) {
        if (v.error) {
          out.text(`\n    ${c.red(`[malformed ${v.error.layer}: ${v.error.reason} needs ${v.error.required} bytes, ${v.error.actual} available]`)}`);
          continue;
        }
        const fields = Object.entries(v.fields)
          .map(([k, val]) => `${k}=${Array.isArray(val) ? val.join(',') : val}`)
          .join(' ');
        out.text(`\n    ${c.bold(v.protocol)}${v.truncated ? c.yellow(' (truncated)') : ''}${fields ? ` ${fields}` : ` ${v.length} bytes`}`);
      }
    }
    if (opts.hex) out.text(`\n${hexDump(rec.data)}`);
    out.byte(0x0a);
  };
}

/** tshark `-T fields`: the selected fields tab-separated (read from the bytes where the packet allows, see `writeRecord`). */
export function fieldsPrinter(selector: FieldSelector): Printer {
  return (rec, out) => selector.writeRecord(rec, out);
}

/** NDJSON: one object per packet with the frame's facts and every decoded layer. */
export function jsonPrinter(): Printer {
  return (rec, out) => {
    const pkt = decodeRecord(rec);
    const frame = {
      number: rec.number,
      time_epoch: formatEpoch(rec.seconds, rec.nanoseconds),
      len: rec.originalLength,
      cap_len: rec.capturedLength,
      link_type: rec.linkType,
      ...(rec.interfaceId !== undefined ? { interface_id: rec.interfaceId } : {}),
    };
    out.line(JSON.stringify({ frame, layers: layerViews(pkt) }));
  };
}

/** What decides how packets are printed: plain data, so that a worker thread can make the same printer. */
export interface PrintOptions {
  fields?: string;
  json?: boolean;
  verbose?: boolean;
  hex?: boolean;
  absoluteTcpSequence?: boolean;
  /** Colour the output (only the default text output has any). */
  colors: boolean;
}

/**
 * The printer `opts` ask for; a usage error for unknown fields or clashing modes. Relative
 * TCP numbers are counted by `tcpSequence` when given (a reader that counts some packets
 * itself shares it), else by a counter of the printer's own.
 */
export function makePrinter(opts: PrintOptions, tcpSequence?: TcpSequenceBases): Printer {
  if (opts.fields !== undefined && opts.json) throw new UsageError('--fields and --json cannot be used together');
  if (opts.fields !== undefined) {
    try {
      return fieldsPrinter(new FieldSelector(opts.fields.split(',').filter((f) => f.length > 0)));
    } catch (e) {
      if (e instanceof UnknownFieldError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (opts.json) return jsonPrinter();
  return linePrinter(lineOptions(opts, tcpSequence));
}

/** The options of the default text output that `opts` give. */
export function lineOptions(opts: PrintOptions, tcpSequence?: TcpSequenceBases): LineOptions {
  return {
    verbose: opts.verbose,
    hex: opts.hex,
    tcpSequence: opts.absoluteTcpSequence ? undefined : (tcpSequence ?? new TcpSequenceBases()),
    colors: pc.createColors(opts.colors),
  };
}

import { CaptureReader, decodePacket, readCapture, type CaptureRecord, type Packet } from '@pcap/decode';
import type { Capture } from '@pcap/native';
import type { Io } from './io.js';
import { fileChunks } from './progress.js';

/** The packet of a record, decoded with its wire length. */
export function decodeRecord(rec: CaptureRecord): Packet {
  return decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength });
}

/**
 * The packets of a libpcap capture as capture records, numbered from 1. A record's `data`
 * is a view into the capture's batch buffer: valid until the loop asks for the next record,
 * which is as long as printing, writing or tracking one packet takes.
 */
export async function* nativeRecords(capture: Capture): AsyncGenerator<CaptureRecord> {
  let number = 0;
  for await (const p of capture) {
    yield {
      seconds: p.seconds,
      nanoseconds: p.nanoseconds,
      capturedLength: p.caplen,
      originalLength: p.length,
      linkType: p.linkType,
      interfaceId: undefined,
      data: p.borrowedData,
      number: ++number,
    };
  }
}

/** A file read by libpcap with a BPF filter (libpcap reads standard input itself given "-"). */
async function* filteredRecords(file: string, filter: string): AsyncGenerator<CaptureRecord> {
  // Loaded here: reading without a filter never needs the native addon.
  const [{ openOffline }, { describeCaptureError }] = await Promise.all([import('@pcap/native'), import('./capture-errors.js')]);
  let capture: Capture;
  try {
    capture = openOffline(file, { filter });
  } catch (e) {
    throw describeCaptureError(e, { file });
  }
  try {
    yield* nativeRecords(capture);
  } catch (e) {
    throw describeCaptureError(e, { file });
  } finally {
    capture.close();
  }
}

/**
 * The records of a capture file (or of standard input with `-`). Without a filter the
 * file is parsed by @pcap/decode (every pcap and pcapng variant, precise damage reports);
 * with a BPF filter libpcap reads it and keeps the matching packets.
 */
export function fileRecords(file: string, io: Io, filter?: string): AsyncIterable<CaptureRecord> {
  if (filter !== undefined) return filteredRecords(file, filter);
  return readCapture(file === '-' ? (io.stdin as AsyncIterable<Uint8Array>) : fileChunks(file, io.stderr));
}

/**
 * Records a batch at a time where the source can hand them over so (a file or standard input
 * parsed by @pcap/decode), one at a time otherwise: one await per batch in the read loop.
 */
export async function* recordBatches(source: AsyncIterable<CaptureRecord>): AsyncGenerator<readonly CaptureRecord[]> {
  if (source instanceof CaptureReader) {
    yield* source.batches();
    return;
  }
  for await (const rec of source) yield [rec];
}

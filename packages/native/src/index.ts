export { PcapError, type PcapErrorCode, type PcapErrorContext } from './errors.js';
export { libraryInfo, libVersion, type LibraryInfo } from './binding.js';
export { listDevices, type Device, type DeviceAddress } from './devices.js';
export { compileFilter, validateFilter, type BpfProgram, type CompileOptions, type FilterCheck } from './filter.js';
export {
  Packet,
  OwnedPacket,
  Batch,
  timestampNs,
  timestampUs,
  RECORD_HEADER_BYTES,
  type PacketInfo,
} from './packet.js';
export {
  Capture,
  IMMEDIATE_BUFFER_SIZE,
  openLive,
  openOffline,
  type CaptureEvents,
  type CaptureStats,
  type LiveOptions,
  type OfflineOptions,
  type BatchOptions,
  type PcapWarning,
} from './capture.js';
export {
  CaptureFileWriter,
  createCaptureFile,
  type CaptureFileOptions,
  type WritablePacket,
} from './writer.js';

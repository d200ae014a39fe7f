export { TcpTracker, SESSION_MEMORY_ESTIMATE, type TcpTrackerOptions, type TcpTrackerEvents, type TrackerStats, type LimitInfo } from './tracker.js';
export {
  TcpSession,
  type Side,
  type Endpoint,
  type CloseReason,
  type SessionState,
  type DirectionStats,
  type StreamData,
  type StreamGap,
  type StreamOverlap,
  type SegmentInfo,
} from './session.js';
export { Reassembler, SEGMENT_OVERHEAD, type GapReason, type SegmentOutcome, type ReassemblySink } from './reassembler.js';
export { tcpSegmentOf, type TcpSegment } from './segment.js';
export { type PacketTime, timeOf, toSeconds, secondsBetween, fromSeconds } from './time.js';
export { seqDiff, seqAdd } from './seq.js';
export { Emitter } from './emitter.js';

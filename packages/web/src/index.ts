export { startServer, ServeError, type ServeOptions, type TrafficServer } from './server.js';
export { type ServeSource, type LiveSource, type FileSource } from './source.js';
export { TrafficAggregator, type AggregatorOptions } from './aggregator.js';
export type {
  Snapshot,
  TrafficView,
  SourceView,
  RateSeries,
  Tally,
  ProtocolRow,
  TalkerRow,
  ConversationRow,
  SessionRow,
  DirectionRow,
  HttpRow,
  PacketRow,
  PacketDetail,
  LayerDetail,
  DropCounters,
} from './snapshot.js';

export { HttpTracker, type HttpTrackerOptions, type HttpTrackerEvents, type HttpTrackerStats } from './tracker.js';
export { HttpExchange, type HttpTiming, type HttpUpgrade } from './exchange.js';
export { header, headers, hasToken, type HeaderList, type Framing, type HttpMessage, type HttpRequest, type HttpResponse } from './message.js';
export { MessageParser, looksLike, type BodyPlan, type ParserHooks, type ParserLimits } from './parser.js';
export { HttpConnection, type HttpLimitInfo, type ConnectionLimits } from './connection.js';

import { EventEmitter } from 'node:events';

class WebSocketFrame {
  type: number | null = null;
  data = '';
}

/** Parser for draft-76 (hixie) WebSocket frames: emits `message` with each frame's text. */
function WebSocketParser(this: WebSocketParser, flag?: string): void {
  this.buffer = Object.assign(Buffer.alloc(64 * 1024), { end: 0 });
  if (flag === 'draft76') {
    this.state = 'skip_response';
    this.skipped_bytes = 0;
  } else {
    this.state = 'frame_type';
  }
  this.frame = new WebSocketFrame();
  EventEmitter.call(this);
}
interface WebSocketParser extends EventEmitter {
  buffer: Buffer & { end: number };
  state: string;
  skipped_bytes: number;
  frame: WebSocketFrame;
  execute(incoming: Buffer): void;
}
Object.setPrototypeOf(WebSocketParser.prototype, EventEmitter.prototype);

WebSocketParser.prototype.execute = function execute(this: WebSocketParser, incoming: Buffer): void {
  for (let pos = 0; pos < incoming.length; pos++) {
    const byte = incoming[pos]!;
    if (this.state === 'skip_response') {
      this.skipped_bytes += 1;
      if (this.skipped_bytes === 16) this.state = 'frame_type';
    } else if (this.state === 'frame_type') {
      this.frame.type = byte;
      this.state = 'read_until_marker';
    } else if (byte !== 255) {
      // Frames longer than the 64 KiB buffer are cut rather than written past it.
      if (this.buffer.end < this.buffer.length) this.buffer[this.buffer.end++] = byte;
    } else {
      this.frame.data = this.buffer.toString('utf8', 0, this.buffer.end);
      this.emit('message', this.frame.data);
      this.state = 'frame_type';
      this.buffer.end = 0;
    }
  }
};

export = WebSocketParser as unknown as { new (flag?: string): WebSocketParser; (flag?: string): void };

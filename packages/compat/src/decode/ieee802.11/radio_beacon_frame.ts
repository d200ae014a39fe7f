import { parseTags } from './radio_utils';
import type RadioMangementFrameTag = require('./radio_management_frame_tag');

/** Beacon body: timestamp, interval and capabilities (skipped), then the tags. */
class RadioBeaconFrame {
  tags: RadioMangementFrameTag[] = [];
  decode(raw: Buffer, offset: number): this {
    this.tags = parseTags(raw, offset + 12);
    return this;
  }
}

export = RadioBeaconFrame;

import { parseTags } from './radio_utils';
import type RadioMangementFrameTag = require('./radio_management_frame_tag');

/** Probe request body: tags only. */
class RadioProbeFrame {
  tags: RadioMangementFrameTag[] | undefined = undefined;
  decode(raw: Buffer, offset: number): this {
    this.tags = parseTags(raw, offset);
    return this;
  }
}

export = RadioProbeFrame;

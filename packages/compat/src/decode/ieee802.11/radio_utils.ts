import RadioMangementFrameTag = require('./radio_management_frame_tag');

/** Reads information elements from `offset` while at least 6 bytes remain (as v3 did). */
export function parseTags(raw: Buffer, offset: number): RadioMangementFrameTag[] {
  const tags: RadioMangementFrameTag[] = [];
  let o = offset;
  while (raw.length - o >= 6) {
    const tag = new RadioMangementFrameTag().decode(raw, o);
    tags.push(tag);
    o += (tag.length as number) + 2;
  }
  return tags;
}

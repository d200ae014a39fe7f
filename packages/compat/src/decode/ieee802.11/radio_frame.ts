import EthernetAddr = require('../ethernet_addr');
import LogicalLinkControl = require('../llc_packet');
import RadioBeaconFrame = require('./radio_beacon_frame');
import RadioProbeFrame = require('./radio_probe_frame');
import { be16, le16, type Emitter } from '../../internal/read';

class RadioFrameFlags {
  emitter: Emitter | undefined = undefined;
  raw: number | undefined = undefined;
  moreFragments: boolean | undefined = undefined;
  isRetry: boolean | undefined = undefined;
  moreData: boolean | undefined = undefined;
  encrypted: boolean | undefined = undefined;
  ordered: boolean | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }
  decode(flags: number): this {
    this.raw = flags;
    this.moreFragments = (flags & 0x04) !== 0;
    this.isRetry = (flags & 0x08) !== 0;
    this.moreData = (flags & 0x20) !== 0;
    this.encrypted = (flags & 0x40) !== 0;
    this.ordered = (flags & 0x80) !== 0;
    return this;
  }
}

/**
 * An 802.11 MAC header. Control frames shorter than 24 bytes (ACK, CTS, RTS...) decode the
 * addresses they have and leave the rest undefined (v3 threw a string).
 */
class RadioFrame {
  emitter: Emitter | undefined = undefined;
  frameControl: number | undefined = undefined;
  version: number | undefined = undefined;
  type: number | undefined = undefined;
  subType: number | undefined = undefined;
  flags: RadioFrameFlags | undefined = undefined;
  duration: number | undefined = undefined;
  bssid: EthernetAddr | undefined = undefined;
  shost: EthernetAddr | undefined = undefined;
  dhost: EthernetAddr | undefined = undefined;
  fragSeq: number | undefined = undefined;
  beacon: RadioBeaconFrame | undefined = undefined;
  llc: LogicalLinkControl | undefined = undefined;
  declare probe?: RadioProbeFrame;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    const fc = le16(raw, offset);
    if (fc !== undefined) {
      this.frameControl = fc;
      this.version = fc & 0x0003;
      this.type = (fc >> 2) & 0x0003;
      this.subType = (fc >> 4) & 0x000f;
      this.flags = new RadioFrameFlags().decode((fc >> 8) & 0xff);
      // Read big-endian, as v3 did.
      this.duration = be16(raw, offset + 2);
      if (raw.length - offset >= 10) this.bssid = new EthernetAddr(raw, offset + 4);
      if (raw.length - offset >= 16) this.shost = new EthernetAddr(raw, offset + 10);
      if (raw.length - offset >= 22) this.dhost = new EthernetAddr(raw, offset + 16);
      this.fragSeq = be16(raw, offset + 22);
    }
    if (raw.length - offset >= 24) {
      const at = offset + 24;
      if (this.type === 0) {
        if (this.subType === 4) this.probe = new RadioProbeFrame().decode(raw, at);
        else if (this.subType === 8) this.beacon = new RadioBeaconFrame().decode(raw, at);
      } else if (this.type === 2 && !this.flags!.encrypted) {
        this.llc = new LogicalLinkControl(this.emitter).decode(raw, at);
      }
    }
    if (this.emitter) this.emitter.emit('radio-frame', this);
    return this;
  }
}

export = RadioFrame;

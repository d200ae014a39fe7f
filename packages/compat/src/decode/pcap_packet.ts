import EthernetPacket = require('./ethernet_packet');
import NullPacket = require('./null_packet');
import IPv4 = require('./ipv4');
import RadioPacket = require('./ieee802.11/radio_packet');
import SLLPacket = require('./sll_packet');
import type { Emitter } from '../internal/read';

/** The 16-byte record header v3 sessions fill: tv_sec, tv_usec, caplen, len (uint32 LE). */
class PcapHeader {
  tv_sec: number;
  tv_usec: number;
  caplen: number;
  len: number;
  constructor(raw: Buffer) {
    if (raw.length >= 16) {
      this.tv_sec = (raw[0]! | (raw[1]! << 8) | (raw[2]! << 16)) + raw[3]! * 0x1000000;
      this.tv_usec = (raw[4]! | (raw[5]! << 8) | (raw[6]! << 16)) + raw[7]! * 0x1000000;
      this.caplen = (raw[8]! | (raw[9]! << 8) | (raw[10]! << 16)) + raw[11]! * 0x1000000;
      this.len = (raw[12]! | (raw[13]! << 8) | (raw[14]! << 16)) + raw[15]! * 0x1000000;
    } else {
      // A short header throws RangeError, as it did in v3.
      this.tv_sec = raw.readUInt32LE(0);
      this.tv_usec = raw.readUInt32LE(4);
      this.caplen = raw.readUInt32LE(8);
      this.len = raw.readUInt32LE(12);
    }
  }
}

/** What a session's `packet` event carries. */
interface PacketWithHeader {
  buf: Buffer;
  header: Buffer;
  link_type: string;
}

/** The root of a decoded packet: link type, record header and the link-layer payload. */
class PcapPacket {
  link_type: string | null = null;
  pcap_header: PcapHeader | null = null;
  payload: { toString(): string } | null = null;
  emitter: Emitter | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(pwh: PacketWithHeader, options?: object): this {
    this.link_type = pwh.link_type;
    const header = new PcapHeader(pwh.header);
    this.pcap_header = header;
    // A whole buffer is used as it is (the same bytes a view would show, one allocation less).
    const whole = pwh.buf;
    const buf = header.caplen >= whole.length ? whole : whole.subarray(0, header.caplen);
    switch (this.link_type) {
      case 'LINKTYPE_ETHERNET':
        this.payload = new EthernetPacket(this.emitter).decode(buf, 0);
        break;
      case 'LINKTYPE_NULL':
        this.payload = new NullPacket(this.emitter).decode(buf, 0);
        break;
      case 'LINKTYPE_RAW':
        this.payload = new IPv4(this.emitter).decode(buf, 0);
        break;
      case 'LINKTYPE_IEEE802_11_RADIO':
        this.payload = new RadioPacket(this.emitter).decode(buf, 0, options);
        break;
      case 'LINKTYPE_LINUX_SLL':
        this.payload = new SLLPacket(this.emitter).decode(buf, 0);
        break;
      default:
        console.log(`node_pcap: PcapPacket.decode - Don't yet know how to decode link type ${this.link_type}`);
    }
    return this;
  }

  toString(): string {
    return `${this.link_type} ${this.payload}`;
  }
}

export = PcapPacket;

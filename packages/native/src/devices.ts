import { pcap } from './binding.js';
import { native } from './errors.js';

/** One address of a device; `family` 'link' carries the MAC address on Linux. */
export interface DeviceAddress {
  family: 'inet' | 'inet6' | 'link';
  addr: string | null;
  netmask: string | null;
  broadaddr: string | null;
  /** The other end of a point-to-point link. */
  dstaddr: string | null;
}

/** A device libpcap can capture on, as pcap_findalldevs reports it. */
export interface Device {
  name: string;
  description: string | null;
  addresses: DeviceAddress[];
  loopback: boolean;
  up: boolean;
  running: boolean;
  /** Wireless in libpcap's sense (Wi-Fi, but also Bluetooth, IrDA...). */
  wireless: boolean;
  connection: 'unknown' | 'connected' | 'disconnected' | 'not-applicable';
  /** The raw PCAP_IF_* bits. */
  flags: number;
}

const IF_LOOPBACK = 0x1;
const IF_UP = 0x2;
const IF_RUNNING = 0x4;
const IF_WIRELESS = 0x8;
const CONNECTION = ['unknown', 'connected', 'disconnected', 'not-applicable'] as const;

/** Every device libpcap can open, with addresses and flags. */
export function listDevices(): Device[] {
  return native({}, () =>
    pcap()
      .findAllDevs()
      .map((d) => ({
        name: d.name,
        description: d.description,
        addresses: d.addresses,
        loopback: (d.flags & IF_LOOPBACK) !== 0,
        up: (d.flags & IF_UP) !== 0,
        running: (d.flags & IF_RUNNING) !== 0,
        wireless: (d.flags & IF_WIRELESS) !== 0,
        connection: CONNECTION[(d.flags >> 4) & 3] ?? 'unknown',
        flags: d.flags,
      })),
  );
}

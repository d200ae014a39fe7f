import { listDevices, type Device } from '@pcap/native';
import { colorsFor } from '../colors.js';
import { describeCaptureError } from '../capture-errors.js';
import type { Io } from '../io.js';

export interface DevicesOptions {
  json?: boolean;
}

/** The flags as tcpdump -D words them: `[Up, Running, Loopback]`, `[none]`, or nothing without flags. */
function flagText(d: Device): string {
  if (d.flags === 0) return '';
  const words: string[] = [];
  if (d.up) words.push('Up');
  if (d.running) words.push('Running');
  if (d.loopback) words.push('Loopback');
  if (d.wireless) words.push('Wireless');
  let text = words.length ? words.join(', ') : 'none';
  if (d.wireless) {
    if (d.connection === 'connected') text += ', Associated';
    else if (d.connection === 'disconnected') text += ', Not associated';
    else if (d.connection === 'unknown') text += ', Association status unknown';
  } else if (d.connection === 'connected') text += ', Connected';
  else if (d.connection === 'disconnected') text += ', Disconnected';
  return ` [${text}]`;
}

/** `ADDRESS/PREFIX` for an IP address and its netmask, or the address alone. */
function withPrefix(addr: string, netmask: string | null): string {
  if (!netmask) return addr;
  let bits = 0;
  if (netmask.includes('.')) {
    for (const part of netmask.split('.')) bits += Number(part).toString(2).replace(/0/g, '').length;
  } else {
    for (const group of netmask.split(':')) if (group) bits += parseInt(group, 16).toString(2).replace(/0/g, '').length;
  }
  return `${addr}/${bits}`;
}

function render(devices: Device[], io: Io): string {
  const c = colorsFor(io.stdout as { isTTY?: boolean });
  const lines: string[] = [];
  devices.forEach((d, i) => {
    lines.push(`${i + 1}.${c.bold(d.name)}${d.description ? ` (${d.description})` : ''}${flagText(d)}`);
    for (const a of d.addresses) {
      if (!a.addr) continue;
      const kind = a.family === 'link' ? 'link' : a.family;
      let text = `    ${kind.padEnd(6)}${a.family === 'link' ? a.addr : withPrefix(a.addr, a.netmask)}`;
      if (a.broadaddr && a.family !== 'link') text += ` broadcast ${a.broadaddr}`;
      if (a.dstaddr) text += ` peer ${a.dstaddr}`;
      lines.push(text);
    }
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** `pcap devices`: what `tcpdump -D` lists, with every address. */
export function devicesCommand(opts: DevicesOptions, io: Io): void {
  let devices: Device[];
  try {
    devices = listDevices();
  } catch (e) {
    throw describeCaptureError(e, {});
  }
  if (opts.json) {
    io.stdout.write(`${devices.map((d) => JSON.stringify(d)).join('\n')}${devices.length ? '\n' : ''}`);
    return;
  }
  if (devices.length === 0) {
    io.stderr.write('pcap: no devices found (without root, libpcap may list none: run as root)\n');
    return;
  }
  io.stdout.write(render(devices, io));
}

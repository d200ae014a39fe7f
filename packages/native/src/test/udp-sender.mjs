// Sends UDP datagrams for the live tests, from its own process so that the capture's event
// loop does not pace it. Payload: "pcapn" + u32 sequence number, zero-padded to --size.
//   node udp-sender.mjs --to 127.0.0.1 --port 40001 --count 200 [--size 64] [--from ADDR]
//                      [--seconds S (flood until S elapsed, --count ignored)] [--gap-every N]
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    to: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    count: { type: 'string', default: '100' },
    size: { type: 'string', default: '64' },
    from: { type: 'string' },
    seconds: { type: 'string' },
    'gap-every': { type: 'string', default: '50' },
  },
});
const port = Number(values.port);
const size = Math.max(9, Number(values.size));
const socket = dgram.createSocket('udp4');
if (values.from) await new Promise((r) => socket.bind({ address: values.from, port: 0 }, r));

function payload(seq) {
  const b = Buffer.alloc(size);
  b.write('pcapn', 0, 'latin1');
  b.writeUInt32BE(seq >>> 0, 5);
  return b;
}

function send(buf) {
  return new Promise((resolve, reject) => socket.send(buf, port, values.to, (err) => (err ? reject(err) : resolve())));
}

let sent = 0;
if (values.seconds) {
  const until = Date.now() + Number(values.seconds) * 1000;
  while (Date.now() < until) {
    const batch = [];
    for (let i = 0; i < 64; i++) batch.push(send(payload(sent++)));
    await Promise.all(batch);
  }
} else {
  const count = Number(values.count);
  const gapEvery = Number(values['gap-every']);
  for (let i = 0; i < count; i++) {
    await send(payload(i));
    sent++;
    // Short pauses keep a burst within the kernel's socket buffers.
    if (gapEvery > 0 && sent % gapEvery === 0) await new Promise((r) => setTimeout(r, 2));
  }
}
socket.close();
process.stdout.write(`${JSON.stringify({ sent })}\n`);

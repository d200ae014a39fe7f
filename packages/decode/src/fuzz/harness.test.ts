import { describe, expect, it } from 'vitest';
import { DecodeFailure, HeaderLayer, type Layer } from '../layer.js';
import { Registry } from '../registry.js';
import { Exerciser, FuzzFinding } from './exercise.js';
import { mutate } from './mutate.js';
import { Prng } from './prng.js';
import { Watchdog } from './watchdog.js';

// The fuzz suite is only as good as its checks: these make sure each one fires.

class Stub extends HeaderLayer {
  readonly protocol = 'stub';
}

/** A layer that takes the first `length` bytes of the packet as its header and carries nothing. */
function stub(bytes: Uint8Array, length = bytes.length): Layer {
  return new Stub(bytes, 0, length, length);
}

function registryWith(decode: (data: Uint8Array) => Layer | DecodeFailure, fields: Record<string, (l: Layer, out: string[]) => void> = {}): Registry {
  return new Registry().register('linktype', 1, {
    name: 'stub',
    decode: (bytes: Uint8Array) => decode(bytes),
    fields,
    summary: () => 'stub',
  });
}

function finding(registry: Registry, data = new Uint8Array(8)): FuzzFinding | undefined {
  try {
    new Exerciser(registry).run(data, 1);
  } catch (e) {
    return e as FuzzFinding;
  }
  return undefined;
}

describe('fuzz harness', () => {
  it('passes a well-behaved decoder', () => {
    expect(finding(registryWith((d) => stub(d)))).toBeUndefined();
  });

  it('reports a decoder that throws, with the input', () => {
    const f = finding(
      registryWith(() => {
        throw new RangeError('offset out of bounds');
      }),
      Uint8Array.of(1, 2, 0xab),
    );
    expect(f).toBeInstanceOf(FuzzFinding);
    expect(f!.message).toBe('decodePacket threw RangeError: offset out of bounds (link type 1, 3 bytes: 0102ab)');
  });

  it('reports a field extractor that throws', () => {
    const f = finding(
      registryWith((d) => stub(d), {
        'stub.x': () => {
          throw new TypeError('x is undefined');
        },
      }),
    );
    expect(f!.problem).toBe('FieldSelector.values threw TypeError: x is undefined');
  });

  it('reports unbounded output and layers that claim bytes the packet lacks', () => {
    const loud = registryWith((d) => stub(d), { 'stub.x': (_l, out) => out.push('x'.repeat(1_000_000)) });
    expect(finding(loud)!.problem).toMatch(/characters of field text from 8 bytes/);
    const liar = registryWith((d) => stub(d, d.length + 10));
    expect(finding(liar)!.problem).toBe('layer stub spans more bytes than the packet has');
  });

  it('mutates deterministically for a seed, within the length bound', () => {
    const input = Uint8Array.from({ length: 200 }, (_, i) => i);
    const a = Array.from({ length: 50 }, (_, i) => mutate(new Prng(i), input, [input], 220));
    const b = Array.from({ length: 50 }, (_, i) => mutate(new Prng(i), input, [input], 220));
    expect(a).toEqual(b);
    expect(a.every((m) => m.length <= 220)).toBe(true);
    expect(new Set(a.map((m) => Buffer.from(m).toString('hex'))).size).toBeGreaterThan(45);
  });

  it('notices an input that makes no progress', async () => {
    const dog = new Watchdog(300, { kill: false });
    dog.enter(Uint8Array.of(1), 1, 0);
    const until = Date.now() + 2000;
    // Stands in for a decoder that never returns: the main thread is blocked, the watcher is not.
    while (Date.now() < until && !dog.stalled) {
      /* spin */
    }
    expect(dog.stalled).toBe(true);
    await dog.stop();
  });
});

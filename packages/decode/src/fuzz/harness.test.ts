import { describe, expect, it } from 'vitest';
import { DecodeFailure, HeaderLayer, type Layer } from '../layer.js';
import { Registry, type FieldValue } from '../registry.js';
import { Exerciser, FuzzFinding } from './exercise.js';

// The fuzz suite is only as good as its checks: these make sure each one fires.

class Stub extends HeaderLayer {
  readonly protocol = 'stub';
}

/** A layer that takes the first `length` bytes of the packet as its header and carries nothing. */
function stub(bytes: Uint8Array, length = bytes.length): Layer {
  return new Stub(bytes, 0, length, length);
}

function registryWith(decode: (data: Uint8Array) => Layer | DecodeFailure, fields: Record<string, (l: Layer, out: FieldValue[]) => void> = {}): Registry {
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

  it('reports a getter that builds more than the bytes hold', () => {
    class Bloated extends Stub {
      get items(): number[] {
        return new Array<number>(100_000).fill(0);
      }
    }
    const f = finding(registryWith((d) => new Bloated(d, 0, d.length, d.length)));
    expect(f!.problem).toMatch(/^the layers' getters made 2000\d\d values from 8 bytes$/);
  });

  it('reports unbounded output and layers that claim bytes the packet lacks', () => {
    const loud = registryWith((d) => stub(d), { 'stub.x': (_l, out) => out.push('x'.repeat(1_000_000)) });
    expect(finding(loud)!.problem).toMatch(/characters of field text from 8 bytes/);
    const liar = registryWith((d) => stub(d, d.length + 10));
    expect(finding(liar)!.problem).toBe('layer stub spans more bytes than the packet has');
  });
});

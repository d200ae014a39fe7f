/* eslint-disable @typescript-eslint/no-explicit-any */
import { argumentTypeError } from '@pcap/decode';

/**
 * A small typed event emitter: no dependency on Node's `events`, so the package runs
 * wherever `@pcap/decode` does. Listeners are called synchronously, in the order added.
 */
export class Emitter<Events extends { [K in keyof Events]: (...args: any[]) => void }> {
  private readonly listeners: { [K in keyof Events]?: Events[K][] } = {};

  /** Calls `listener` on every `event`. */
  on<K extends keyof Events>(event: K, listener: Events[K]): this {
    // Checked now: a listener that is not a function would otherwise fail at the first event, far from this call.
    if (typeof listener !== 'function') {
      throw argumentTypeError(`${this.constructor.name}.on`, 'listener', 'a function', listener, `e.g. on(${JSON.stringify(String(event))}, (...args) => { … })`);
    }
    (this.listeners[event] ??= []).push(listener);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof Events>(event: K, listener: Events[K]): this {
    const list = this.listeners[event];
    if (list) {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    }
    return this;
  }

  /** True when someone listens to `event` (lets hot paths skip building event objects). */
  protected has<K extends keyof Events>(event: K): boolean {
    const list = this.listeners[event];
    return list !== undefined && list.length > 0;
  }

  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const list = this.listeners[event];
    if (!list) return;
    for (const l of list.length === 1 ? list : list.slice()) l(...args);
  }
}

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RateSeries } from '../snapshot.js';
import { count } from './dom.js';

const MIN_SECONDS = 60;

/** 950, 12k, 3.4M: axis labels that fit. */
function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${+(n / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(n / 1e3).toFixed(0)}k`;
  return count(n);
}

/** Packets/s (left axis) and bytes/s (right axis) per second of packet time. */
export class RateChart {
  private readonly plot: uPlot;

  constructor(private readonly host: HTMLElement) {
    const opts: uPlot.Options = {
      width: Math.max(300, host.clientWidth),
      height: 190,
      scales: {
        x: { time: true },
        p: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max)] }, b: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        { label: 'packets/s', scale: 'p', stroke: '#5aa9e6', fill: 'rgba(90,169,230,0.15)', width: 1.5, points: { show: false }, value: (_u, v) => (v == null ? '–' : count(v)) },
        { label: 'bytes/s', scale: 'b', stroke: '#e6a23c', width: 1.5, points: { show: false }, value: (_u, v) => (v == null ? '–' : count(v)) },
      ],
      axes: [
        { stroke: '#8a94a3', grid: { stroke: '#2a3039' } },
        { scale: 'p', stroke: '#5aa9e6', grid: { stroke: '#2a3039' }, size: 56, values: (_u, splits) => splits.map(compact) },
        { scale: 'b', side: 1, stroke: '#e6a23c', grid: { show: false }, size: 56, values: (_u, splits) => splits.map(compact) },
      ],
      legend: { live: true },
    };
    this.plot = new uPlot(opts, [[], [], []], host);
    window.addEventListener('resize', () => this.plot.setSize({ width: Math.max(300, host.clientWidth), height: 190 }));
  }

  update(rate: RateSeries): void {
    // At least a minute is drawn, the quiet seconds before the first packet as zeros: a
    // short capture then shows as a spike at the right, not as one point on a stretched axis.
    const pad = rate.packets.length > 0 ? Math.max(0, MIN_SECONDS - rate.packets.length) : 0;
    const xs = Array.from({ length: pad + rate.packets.length }, (_, i) => rate.start - pad + i);
    const zeros = new Array<number>(pad).fill(0);
    this.plot.setData([xs, [...zeros, ...rate.packets], [...zeros, ...rate.bytes]]);
    // What the chart holds, in numbers a reader (or a test) can check against the totals.
    this.host.dataset.packets = String(rate.packets.reduce((a, b) => a + b, 0));
    this.host.dataset.bytes = String(rate.bytes.reduce((a, b) => a + b, 0));
    this.host.dataset.points = String(rate.packets.length);
  }
}

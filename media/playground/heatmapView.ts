// The output view: the network's output over [−6, 6]² as a heat map, with the data points on top.
// Two stacked canvases: the heat map changes every frame, the points only with the data, the size
// or the theme, so a frame redraws one image (one colour lookup per cell, then a scaled drawImage).
import type { DataPoints, HeatMap } from '../../src/core/playground/protocol';
import { h } from '../common/dom';
import { decodeBase64, valueColor, type Palette } from './colors';

const DOMAIN = 6;
const MAX_SIZE = 440;
const MIN_SIZE = 160;

export interface HeatMapInfo {
  density: number;
  /** Heat maps drawn so far. */
  drawn: number;
  trainPoints: number;
  testPoints: number;
  /** CSS pixels. */
  size: number;
}

export class HeatMapView {
  readonly el: HTMLElement;
  private readonly heat = h('canvas', { class: 'heat', attrs: { 'aria-hidden': 'true' } });
  private readonly overlay = h('canvas', { class: 'points', attrs: { 'aria-hidden': 'true' } });
  private readonly off = document.createElement('canvas');
  private image: ImageData | undefined;
  private bytes: Uint8Array | undefined;
  private density = 0;
  private size = 0;
  private dpr = 1;
  private drawn = 0;
  private trainDrawn = 0;
  private testDrawn = 0;

  constructor(label: string, onResize: () => void) {
    const stack = h('div', { class: 'heat-stack' }, this.heat, this.overlay);
    this.el = h('div', { class: 'heat-wrap', attrs: { role: 'img', 'aria-label': label } }, stack);
    new ResizeObserver(() => {
      if (this.measure()) onResize();
    }).observe(this.el);
    this.measure();
  }

  /** Sets the canvases to the space available; true when the size changed. */
  private measure(): boolean {
    const width = this.el.clientWidth;
    const size = Math.max(MIN_SIZE, Math.min(MAX_SIZE, Math.floor(width || MIN_SIZE)));
    const dpr = window.devicePixelRatio || 1;
    if (size === this.size && dpr === this.dpr) return false;
    this.size = size;
    this.dpr = dpr;
    for (const c of [this.heat, this.overlay]) {
      c.width = Math.round(size * dpr);
      c.height = Math.round(size * dpr);
      c.style.width = c.style.height = `${size}px`;
    }
    (this.el.firstElementChild as HTMLElement).style.height = `${size}px`;
    return true;
  }

  describe(text: string): void {
    this.el.setAttribute('aria-label', text);
  }

  /** Decodes a frame's heat map (the bytes are kept for redraws on resize or theme change). */
  setHeat(heat: HeatMap): void {
    this.bytes = decodeBase64(heat.data, this.bytes);
    if (heat.density !== this.density) {
      this.density = heat.density;
      this.off.width = this.off.height = heat.density;
      this.image = new ImageData(heat.density, heat.density);
    }
  }

  clearHeat(): void {
    this.bytes = undefined;
    this.heat.getContext('2d')!.clearRect(0, 0, this.heat.width, this.heat.height);
  }

  drawHeat(p: Palette, discretize: boolean): void {
    if (!this.bytes || !this.image) return;
    const lut = discretize ? p.lutDiscrete : p.lut;
    const px = new Uint32Array(this.image.data.buffer);
    const b = this.bytes;
    for (let i = 0; i < b.length; i++) px[i] = lut[b[i]!]!;
    this.off.getContext('2d')!.putImageData(this.image, 0, 0);
    const ctx = this.heat.getContext('2d')!;
    ctx.imageSmoothingEnabled = !discretize;
    ctx.drawImage(this.off, 0, 0, this.heat.width, this.heat.height);
    this.drawn++;
  }

  drawPoints(p: Palette, points: DataPoints | undefined, showTest: boolean, regression: boolean): void {
    const ctx = this.overlay.getContext('2d')!;
    const w = this.overlay.width;
    ctx.clearRect(0, 0, w, w);
    this.trainDrawn = this.testDrawn = 0;
    if (!points) return;
    const scale = w / (2 * DOMAIN);
    const r = Math.max(2, 2.6 * this.dpr);
    ctx.lineWidth = Math.max(1, this.dpr);
    const draw = (set: DataPoints['train'], stroke: string) => {
      ctx.strokeStyle = stroke;
      for (let i = 0; i < set.x1.length; i++) {
        const label = set.label[i]!;
        ctx.fillStyle = regression ? valueColor(p, label) : rgbOf(p, label);
        ctx.beginPath();
        ctx.arc((set.x1[i]! + DOMAIN) * scale, (DOMAIN - set.x2[i]!) * scale, r, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
      return set.x1.length;
    };
    // As in TF Playground: training points ringed in white, test points in black.
    this.trainDrawn = draw(points.train, p.highContrast ? p.foreground : 'rgba(255, 255, 255, 0.9)');
    if (showTest) this.testDrawn = draw(points.test, p.dark && p.highContrast ? p.background : 'rgba(0, 0, 0, 0.85)');
  }

  /** The heat map's colour at a point of the plane (for tests). */
  colorAt(x1: number, x2: number): [number, number, number] {
    const k = this.heat.width / (2 * DOMAIN);
    const d = this.heat
      .getContext('2d')!
      .getImageData(Math.min(this.heat.width - 1, Math.floor((x1 + DOMAIN) * k)), Math.min(this.heat.height - 1, Math.floor((DOMAIN - x2) * k)), 1, 1).data;
    return [d[0]!, d[1]!, d[2]!];
  }

  info(): HeatMapInfo {
    return { density: this.density, drawn: this.drawn, trainPoints: this.trainDrawn, testPoints: this.testDrawn, size: this.size };
  }
}

function rgbOf(p: Palette, label: number): string {
  const c = label > 0 ? p.positive : p.negative;
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

// The network as TF Playground draws it: a column of nodes per layer, each node a small map of its
// output over the plane, links coloured by the weight's sign and as thick as its size. A link L1
// killed is not drawn at all. One canvas, redrawn per frame (a few hundred curves at most).
import { FEATURES, type FeatureId } from '../../src/core/playground/features';
import type { NetworkDrawing } from '../../src/core/playground/protocol';
import { h } from '../common/dom';
import { valueColor, type Palette } from './colors';

const NODE = 30;
const GAP = 10;
const TOP = 22;
const LEFT = 62;
const RIGHT = 12;
/** Node maps before the first frame says the trainer's grid size. */
const DEFAULT_THUMB = 10;

export interface NetworkInfo {
  sizes: number[];
  links: number;
  linksDrawn: number;
  dead: number;
  /** Inputs every one of whose links L1 killed (the feature dropped out). */
  droppedInputs: string[];
}

export class NetworkView {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas', { attrs: { 'aria-hidden': 'true' } });
  private readonly caption = h('p', { class: 'caption' });
  private readonly thumb = document.createElement('canvas');
  private thumbImage = new ImageData(DEFAULT_THUMB, DEFAULT_THUMB);
  private cssHeight = 0;
  private width = 0;
  private dpr = 1;
  private last: NetworkInfo = { sizes: [], links: 0, linksDrawn: 0, dead: 0, droppedInputs: [] };

  constructor(onResize: () => void) {
    this.thumb.width = this.thumb.height = DEFAULT_THUMB;
    this.el = h('div', { class: 'network-wrap', attrs: { role: 'img', 'aria-label': 'The network' } }, this.canvas, this.caption);
    new ResizeObserver(() => {
      if (this.measure()) onResize();
    }).observe(this.el);
    this.measure();
  }

  private measure(): boolean {
    const width = Math.max(220, Math.floor(this.el.clientWidth || 220));
    const dpr = window.devicePixelRatio || 1;
    if (width === this.width && dpr === this.dpr) return false;
    this.width = width;
    this.dpr = dpr;
    return true;
  }

  /**
   * Draws the network: `drawing` from the last frame (weights, dead links), `neurons` the bytes of
   * every non-input node's map (node after node), `features` the inputs in order.
   */
  draw(
    p: Palette,
    features: readonly FeatureId[],
    drawing: NetworkDrawing | undefined,
    neurons: Uint8Array | undefined,
    nodeDensity: number,
    discretize: boolean,
  ): void {
    const sizes = drawing?.sizes ?? [features.length, 1];
    const geo = geometry(sizes, this.width);
    this.cssHeight = TOP + geo.maxNodes * (NODE + GAP) + 8;
    const density = this.prepare(nodeDensity);
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.cssHeight);
    drawHeadings(ctx, p, geo);
    const links = drawLinks(ctx, p, geo, drawing);
    ctx.imageSmoothingEnabled = !discretize;
    const isDropped = (i: number) => drawing !== undefined && inputDropped(geo, links, i);
    this.drawInputs(ctx, p, geo, features, density, isDropped);
    this.drawNeurons(ctx, p, geo, neurons, density * density, discretize);
    const dropped = features.filter((_f, i) => isDropped(i)).map((f) => FEATURES[f].label);
    this.last = { sizes: [...sizes], links: links.total, linksDrawn: links.drawn, dead: links.dead, droppedInputs: dropped };
    this.describe(features.length, sizes, links, dropped);
  }

  /** Sizes the canvas to the network and the node maps to the trainer's grid; returns that grid's density. */
  private prepare(nodeDensity: number): number {
    const c = this.canvas;
    const pxW = Math.round(this.width * this.dpr);
    const pxH = Math.round(this.cssHeight * this.dpr);
    // Resizing a canvas reallocates it: only when the size really changed.
    if (c.width !== pxW || c.height !== pxH) {
      c.width = pxW;
      c.height = pxH;
      c.style.width = `${this.width}px`;
      c.style.height = `${this.cssHeight}px`;
    }
    const density = nodeDensity >= 2 ? nodeDensity : DEFAULT_THUMB;
    if (this.thumbImage.width !== density) {
      this.thumbImage = new ImageData(density, density);
      this.thumb.width = this.thumb.height = density;
    }
    return density;
  }

  /** Input nodes: maps computed here, labelled with their feature (greyed when L1 dropped it). */
  private drawInputs(
    ctx: CanvasRenderingContext2D,
    p: Palette,
    geo: Geometry,
    features: readonly FeatureId[],
    density: number,
    dropped: (i: number) => boolean,
  ): void {
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    features.forEach((f, i) => {
      this.paintThumb(featureBytes(f, density), 0, p, false);
      this.blitNode(ctx, p, geo.x(0), geo.y(0, i));
      ctx.fillStyle = dropped(i) ? p.muted : p.foreground;
      ctx.fillText(FEATURES[f].label, geo.x(0) - 6, geo.y(0, i) + NODE / 2);
    });
  }

  /** The other nodes: maps from the frame, node after node (blank until a frame has them). */
  private drawNeurons(ctx: CanvasRenderingContext2D, p: Palette, geo: Geometry, neurons: Uint8Array | undefined, cells: number, discretize: boolean): void {
    let node = 0;
    for (let l = 1; l < geo.sizes.length; l++) {
      for (let j = 0; j < geo.sizes[l]!; j++, node++) {
        if (neurons && neurons.length >= (node + 1) * cells) this.paintThumb(neurons, node * cells, p, discretize);
        else this.paintBlank(p);
        this.blitNode(ctx, p, geo.x(l), geo.y(l, j));
      }
    }
  }

  private describe(inputs: number, sizes: readonly number[], links: LinkCount, dropped: string[]): void {
    const hidden = sizes.slice(1, -1);
    const summary =
      `${inputs} input${inputs === 1 ? '' : 's'}, ${hidden.length ? `hidden layers of ${hidden.join(', ')}` : 'no hidden layer'}, ${links.total} links` +
      (links.dead ? `; L1 removed ${links.dead}${dropped.length ? ` and dropped ${dropped.join(', ')}` : ''}` : '');
    this.caption.textContent = summary;
    this.el.setAttribute('aria-label', `The network: ${summary}`);
  }

  info(): NetworkInfo & { height: number } {
    return { ...this.last, height: this.cssHeight, sizes: [...this.last.sizes], droppedInputs: [...this.last.droppedInputs] };
  }

  private paintThumb(bytes: Uint8Array, offset: number, p: Palette, discretize: boolean): void {
    const lut = discretize ? p.lutDiscrete : p.lut;
    const px = new Uint32Array(this.thumbImage.data.buffer);
    for (let i = 0; i < px.length; i++) px[i] = lut[bytes[offset + i]!]!;
    this.thumb.getContext('2d')!.putImageData(this.thumbImage, 0, 0);
  }

  private paintBlank(p: Palette): void {
    const px = new Uint32Array(this.thumbImage.data.buffer);
    px.fill(p.lut[128]!);
    this.thumb.getContext('2d')!.putImageData(this.thumbImage, 0, 0);
  }

  private blitNode(ctx: CanvasRenderingContext2D, p: Palette, x: number, y: number): void {
    ctx.drawImage(this.thumb, x, y, NODE, NODE);
    ctx.strokeStyle = p.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 0.5, y + 0.5, NODE - 1, NODE - 1);
  }
}

/** Where each layer's column and each node sit on the canvas (CSS pixels). */
interface Geometry {
  sizes: readonly number[];
  maxNodes: number;
  /** Width of the space between the first and last column. */
  span: number;
  x(layer: number): number;
  y(layer: number, node: number): number;
}

function geometry(sizes: readonly number[], width: number): Geometry {
  const maxNodes = Math.max(1, ...sizes);
  const cols = sizes.length;
  const span = Math.max(1, width - LEFT - RIGHT - NODE);
  return {
    sizes,
    maxNodes,
    span,
    x: (l) => LEFT + (cols === 1 ? 0 : (span * l) / (cols - 1)),
    y: (l, k) => TOP + ((maxNodes - sizes[l]!) * (NODE + GAP)) / 2 + k * (NODE + GAP),
  };
}

function drawHeadings(ctx: CanvasRenderingContext2D, p: Palette, geo: Geometry): void {
  const cols = geo.sizes.length;
  ctx.font = p.font;
  ctx.fillStyle = p.muted;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  geo.sizes.forEach((n, l) => {
    const title = l === 0 ? 'Inputs' : l === cols - 1 ? 'Output' : `${n} neuron${n === 1 ? '' : 's'}`;
    ctx.fillText(title, geo.x(l) + NODE / 2, 2, Math.max(40, geo.span / Math.max(1, cols - 1)));
  });
}

interface LinkCount {
  total: number;
  drawn: number;
  dead: number;
  /** Per input: how many of its links L1 killed. */
  deadFromInput: number[];
}

/** The links, under the nodes: coloured by the weight's sign, as thick as its size; dead ones left out. */
function drawLinks(ctx: CanvasRenderingContext2D, p: Palette, geo: Geometry, drawing: NetworkDrawing | undefined): LinkCount {
  const { sizes } = geo;
  const dead = new Set(drawing?.dead ?? []);
  const count: LinkCount = { total: 0, drawn: 0, dead: dead.size, deadFromInput: new Array<number>(sizes[0] ?? 0).fill(0) };
  if (!drawing) return count;
  let k = 0;
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 0; j < sizes[l]!; j++) {
      for (let i = 0; i < sizes[l - 1]!; i++, k++) {
        count.total++;
        if (dead.has(k)) {
          if (l === 1) count.deadFromInput[i]!++;
          continue;
        }
        drawLink(ctx, p, drawing.weights[k] ?? 0, geo.x(l - 1) + NODE, geo.y(l - 1, i) + NODE / 2, geo.x(l), geo.y(l, j) + NODE / 2);
        count.drawn++;
      }
    }
  }
  return count;
}

function drawLink(ctx: CanvasRenderingContext2D, p: Palette, w: number, x0: number, y0: number, x1: number, y1: number): void {
  const mid = (x0 + x1) / 2;
  ctx.strokeStyle = valueColor(p, Number.isFinite(w) ? w : 0, 0.9);
  ctx.lineWidth = 0.75 + Math.min(Math.abs(w), 5) * 1.25;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.bezierCurveTo(mid, y0, mid, y1, x1, y1);
  ctx.stroke();
}

/** Every link from input `i` to the first layer after it is dead: the feature dropped out. */
function inputDropped(geo: Geometry, links: LinkCount, i: number): boolean {
  return geo.sizes[1]! > 0 && links.deadFromInput[i] === geo.sizes[1];
}

const featureCache = new Map<string, Uint8Array>();

/** A feature's values on the node grid, scaled to [−1, 1] by its largest size there, as bytes. */
function featureBytes(f: FeatureId, density: number): Uint8Array {
  const key = `${f}:${density}`;
  let bytes = featureCache.get(key);
  if (bytes) return bytes;
  const values: number[] = [];
  for (let r = 0; r < density; r++) {
    for (let c = 0; c < density; c++) values.push(FEATURES[f].compute(-6 + (12 * c) / (density - 1), 6 - (12 * r) / (density - 1)));
  }
  const max = Math.max(1e-9, ...values.map(Math.abs));
  bytes = Uint8Array.from(values, (v) => Math.round((v / max + 1) * 127.5));
  featureCache.set(key, bytes);
  return bytes;
}

// Colours from VS Code's theme: TF Playground's scale (orange for −1, blue for +1, a neutral middle)
// taken from the theme's chart colours, with a middle that suits light or dark backgrounds. A
// 256-entry table maps each heat-map byte to a colour, so drawing a frame is one lookup per cell.

export interface Palette {
  dark: boolean;
  highContrast: boolean;
  negative: [number, number, number];
  neutral: [number, number, number];
  positive: [number, number, number];
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  font: string;
  /** RGBA per byte value, smooth and discretized (sign only). */
  lut: Uint32Array;
  lutDiscrete: Uint32Array;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** '#rgb', '#rrggbb' or 'rgb(r, g, b)' → [r, g, b]; undefined when unreadable. */
export function parseColor(text: string): [number, number, number] | undefined {
  const t = text.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(t);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1]![i]! + m![1]![i]!, 16)) as [number, number, number];
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(t);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)) as [number, number, number];
  m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(t);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return undefined;
}

export function rgb(c: readonly [number, number, number], alpha = 1): string {
  return alpha === 1 ? `rgb(${c[0]}, ${c[1]}, ${c[2]})` : `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;
}

function mix(a: readonly number[], b: readonly number[], t: number): [number, number, number] {
  return [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * t)) as [number, number, number];
}

/** Packs a colour as the Uint32 an ImageData's buffer holds (little-endian RGBA). */
function pack(c: readonly number[]): number {
  return ((255 << 24) | (c[2]! << 16) | (c[1]! << 8) | c[0]!) >>> 0;
}

export function readPalette(): Palette {
  const body = document.body.classList;
  const highContrast = body.contains('vscode-high-contrast') || body.contains('vscode-high-contrast-light');
  const background = cssVar('--vscode-editor-background') || '#1e1e1e';
  const bg = parseColor(background) ?? [30, 30, 30];
  const dark =
    body.contains('vscode-light') || body.contains('vscode-high-contrast-light')
      ? false
      : body.contains('vscode-dark') || body.contains('vscode-high-contrast')
        ? true
        : bg[0] + bg[1] + bg[2] < 384;
  const negative = parseColor(cssVar('--vscode-charts-orange')) ?? [245, 147, 34];
  const positive = parseColor(cssVar('--vscode-charts-blue')) ?? [8, 119, 189];
  // TF Playground's near-white middle on light themes; a grey a little off the background on dark ones.
  const neutral: [number, number, number] = dark ? mix(bg, [255, 255, 255], 0.12) : [232, 234, 235];
  const lut = new Uint32Array(256);
  const lutDiscrete = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    const v = b / 127.5 - 1;
    lut[b] = pack(v < 0 ? mix(neutral, negative, -v) : mix(neutral, positive, v));
    lutDiscrete[b] = pack(b < 128 ? negative : positive);
  }
  const foreground = cssVar('--vscode-editor-foreground') || cssVar('--vscode-foreground') || (dark ? '#cccccc' : '#333333');
  return {
    dark,
    highContrast,
    negative,
    neutral,
    positive,
    foreground,
    muted: cssVar('--vscode-descriptionForeground') || foreground,
    background,
    grid: cssVar('--vscode-charts-lines') || (dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.12)'),
    font: `${cssVar('--vscode-font-size') || '13px'} ${cssVar('--vscode-font-family') || 'system-ui, sans-serif'}`,
    lut,
    lutDiscrete,
  };
}

/** The colour of a value in [−1, 1] (clamped), as CSS. */
export function valueColor(p: Palette, v: number, alpha = 1): string {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return rgb(t < 0 ? mix(p.neutral, p.negative, -t) : mix(p.neutral, p.positive, t), alpha);
}

/** base64 → bytes, reusing `out` when it has the right length. */
export function decodeBase64(data: string, out?: Uint8Array): Uint8Array {
  const bin = atob(data);
  const bytes = out && out.length === bin.length ? out : new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

// The playground page's read-only inspection hook, as the browser tests and the webview developer
// tools see it on `window.mlLabsPlayground`.
import type { StateData } from '../../src/core/playground/protocol';
import type { HeatMapInfo } from './heatmapView';
import type { NetworkInfo } from './networkView';

export interface PlaygroundStats {
  received: number;
  rejected: number;
  frames: number;
  /** Frames of a network that no longer exists (acked, not drawn). */
  staleFrames: number;
  framesDrawn: number;
  renders: number;
  lastRenderMs: number;
  maxRenderMs: number;
  totalRenderMs: number;
  acks: number;
}

/** Read-only inspection hook for the browser tests and the webview developer tools. */
export interface PlaygroundProbe {
  stats: PlaygroundStats;
  state(): (Omit<StateData, 'type' | 'points'> & { points: number }) | undefined;
  heatmap(): HeatMapInfo;
  colorAt(x1: number, x2: number): [number, number, number];
  network(): NetworkInfo & { height: number };
  chart(): { points: number; width: number };
  readouts(): { train: string; test: string; epoch: string; rate: string };
  engineText(): string;
  notice(): string;
  view(): { showTest: boolean; discretize: boolean };
  /** Resolves after the next frame that redrew something, with how long that took (ms). */
  nextRender(): Promise<number>;
}

declare global {
  interface Window {
    mlLabsPlayground?: PlaygroundProbe;
  }
}

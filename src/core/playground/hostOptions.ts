// The playground host's settings: what the panel may choose when it opens one, and the defaults for
// the rest.
import * as path from 'path';
import type { PlaygroundConfig } from './config';
import { PLAYGROUND_PACE, type Engine, type HostToChild, type Speed, type StateData } from './protocol';

export interface PlaygroundHostOptions {
  /** The bundled child entry, dist/playground.js. */
  childScript: string;
  config?: Partial<PlaygroundConfig>;
  presetId?: string | null;
  engine?: Engine;
  speed?: Speed;
  /** Least time between frames (ms). */
  frameMs?: number;
  density?: number;
  nodeDensity?: number;
  /** A webview that has not acked a frame after this long is sent the next one anyway. */
  ackTimeoutMs?: number;
  /** Most frames the webview may have unacked, however long the way (see FrameFlow's `window`). */
  maxInFlight?: number;
  memoryMb?: number;
}

/** The settings with every default filled in; the starting config and preset go to the host's state instead. */
export type HostSettings = Required<Omit<PlaygroundHostOptions, 'config' | 'presetId'>>;

export const DEFAULT_FRAME_MS = 1000 / 60;
export const DEFAULT_DENSITY = 100;
export const DEFAULT_NODE_DENSITY = 10;

export function hostSettings(options: PlaygroundHostOptions): HostSettings {
  return {
    // Absolute: the child runs with its own folder as working directory.
    childScript: path.resolve(options.childScript),
    engine: options.engine ?? 'exact',
    speed: options.speed ?? PLAYGROUND_PACE,
    frameMs: options.frameMs ?? DEFAULT_FRAME_MS,
    density: options.density ?? DEFAULT_DENSITY,
    nodeDensity: options.nodeDensity ?? DEFAULT_NODE_DENSITY,
    ackTimeoutMs: options.ackTimeoutMs ?? 1000,
    maxInFlight: options.maxInFlight ?? 8,
    memoryMb: options.memoryMb ?? 512,
  };
}

/** What a (re)started trainer is told: the settings as they are now. */
export function initMessage(state: StateData, settings: HostSettings): HostToChild {
  return {
    type: 'init',
    config: state.config,
    engine: settings.engine,
    speed: settings.speed,
    frameMs: settings.frameMs,
    density: settings.density,
    nodeDensity: settings.nodeDensity,
    presetId: state.presetId ?? null,
  };
}

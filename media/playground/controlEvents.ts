// What the controls report to the page (a change at once), and the host's state that then sets
// every control, so a refused change springs back.
import type { PlaygroundConfig, PlaygroundConfigChange } from '../../src/core/playground/config';
import type { Engine, Speed } from '../../src/core/playground/protocol';

export interface ControlEvents {
  change(changes: PlaygroundConfigChange): void;
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
  preset(id: string): void;
  engine(engine: Engine): void;
  speed(speed: Speed): void;
  exportCode(): void;
  view(patch: { showTest?: boolean; discretize?: boolean }): void;
}

export interface ControlState {
  config: PlaygroundConfig;
  playing: boolean;
  speed: Speed;
  engine: Engine;
  presetId: string | null;
}

// The dashboard page's read-only inspection hook, as the browser tests and the webview developer
// tools see it on `window.mlLabsDashboard`.
import type { DashboardViewState } from '../../src/core/dashboard/protocol';
import type { ChartInfo } from './charts';
import type { StudyChartInfo } from './studyCharts';

export interface DashboardStats {
  received: number;
  rejected: number;
  /** Time spent validating and storing the last message (ms). */
  lastReceiveMs: number;
  renders: number;
  lastRenderMs: number;
  maxRenderMs: number;
  totalRenderMs: number;
  epochsApplied: number;
}

/** Read-only inspection hook, used by the browser tests and handy in the webview developer tools. */
export interface DashboardProbe {
  stats: DashboardStats;
  charts(): ChartInfo[];
  runs(): { id: string; label: string; code: string; status: string; epochs: number; visible: boolean; best: boolean }[];
  view(): DashboardViewState;
  /** Resolves after the next frame that redrew something, with how long that took (ms). */
  nextRender(): Promise<number>;
  /** The study shown, if the view is on one. */
  study(): StudyProbe | undefined;
}

export interface StudyProbe {
  id: string;
  /** Whether its trials have arrived (else it shows "Loading"). */
  loaded: boolean;
  rows: number;
  bestTrial: number | undefined;
  charts: StudyChartInfo[];
}

declare global {
  interface Window {
    mlLabsDashboard?: DashboardProbe;
  }
}

// The webview's side of VS Code: posting to the host (checked against the shared schema first) and
// the saved view state (checked when read back, since it may come from an older version).
import { DashboardViewState, DEFAULT_VIEW_STATE, WebviewToHost } from '../../src/core/dashboard/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class Host {
  private readonly api: VsCodeApi;

  constructor() {
    this.api = acquireVsCodeApi();
  }

  /** Returns an error text instead of sending a message the host would drop. */
  post(message: WebviewToHost): string | undefined {
    const r = WebviewToHost.safeParse(message);
    if (!r.success) return r.error.issues[0]?.message ?? 'invalid message';
    this.api.postMessage(r.data);
    return undefined;
  }

  loadState(): DashboardViewState {
    const r = DashboardViewState.safeParse(this.api.getState());
    return r.success ? r.data : { ...DEFAULT_VIEW_STATE };
  }

  saveState(state: DashboardViewState): void {
    this.api.setState(state);
  }
}

// The webview's side of VS Code: posting to the host (checked against the shared schema first, so
// nothing the host would drop is sent) and the saved view state (checked when read back).
import { parseViewState, WebviewToHost, type PlaygroundViewState } from '../../src/core/playground/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class Host {
  private readonly api: VsCodeApi = acquireVsCodeApi();

  /** Returns an error text instead of sending a message the host would drop. */
  post(message: WebviewToHost): string | undefined {
    const r = WebviewToHost.safeParse(message);
    if (!r.success) return r.error.issues[0]?.message ?? 'invalid message';
    this.api.postMessage(r.data);
    return undefined;
  }

  loadState(): PlaygroundViewState | undefined {
    return parseViewState(this.api.getState());
  }

  saveState(state: PlaygroundViewState): void {
    this.api.setState(state);
  }
}

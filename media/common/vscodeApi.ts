// The webview's side of VS Code, for every page: posting to the host (checked against the page's
// schema first, so nothing the host would drop is sent) and the saved view state (checked when read
// back by the page's reader, since it may come from an older version).
import type { ZodMiniType } from 'zod/mini';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class WebviewHost<Message, State> {
  // VS Code allows one call per page: each page makes one WebviewHost.
  private readonly api: VsCodeApi = acquireVsCodeApi();

  constructor(
    private readonly outgoing: ZodMiniType<Message>,
    private readonly readState: (saved: unknown) => State,
  ) {}

  /** Returns an error text instead of sending a message the host would drop. */
  post(message: Message): string | undefined {
    const r = this.outgoing.safeParse(message);
    if (!r.success) return r.error.issues[0]?.message ?? 'invalid message';
    this.api.postMessage(r.data);
    return undefined;
  }

  loadState(): State {
    return this.readState(this.api.getState());
  }

  saveState(state: State): void {
    this.api.setState(state);
  }
}

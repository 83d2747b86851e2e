// Connects the real dashboard host (DashboardController, without VS Code) to the page in Chromium:
// what the page posts goes to the host, and what the host sends goes to the page, as in VS Code.
// With a study run by the real tuner into a lab folder, the studies view is tested end to end.
import type { Page } from 'playwright-core';
import { DashboardController } from '../../src/core/dashboard/controller';
import { FakeEffects, manualTimer } from '../unit/dashboard/fixtures';
import { posted, send } from './dashboardPage';

export class HostBridge {
  readonly fx = new FakeEffects();
  readonly timer = manualTimer();
  readonly controller: DashboardController;
  private seen = 0;
  private delivered = 0;

  constructor(
    readonly page: Page,
    labDir: string,
  ) {
    this.controller = new DashboardController(labDir, this.fx, { schedule: this.timer.schedule });
  }

  /** Delivers what the page posted to the host and the host's answers to the page, until both are quiet. */
  async pump(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const out = await posted(this.page);
      const fresh = out.slice(this.seen);
      this.seen = out.length;
      for (const m of fresh) await this.controller.receive(m);
      const back = this.fx.posted.slice(this.delivered);
      this.delivered = this.fx.posted.length;
      if (back.length) await send(this.page, back);
      if (!fresh.length && !back.length) return;
    }
  }

  dispose(): void {
    this.controller.dispose();
  }
}

// How the command line shows a run: live progress while it trains, then the grade.
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { describeProvenance, type GradeReport } from '../core/grade/report';
import { formatValue } from '../core/format';
import type { LabManifest } from '../core/lab/manifest';
import { formatMetric } from '../core/format';
import type { EpochMessage, ReadyMessage, StartedMessage } from '../core/run/protocol';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const dim = paint(2);
export const bold = paint(1);

function fmtSeconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** Live progress: a bar on a terminal, one line per epoch otherwise (CI logs, pipes). */
export class ProgressView {
  private bar?: SingleBar;
  private epochs = 0;
  private lastEpoch?: EpochMessage;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly manifest?: Pick<LabManifest, 'labelUnit'>,
  ) {
    this.tty = !!out.isTTY;
  }

  ready(m: ReadyMessage): void {
    this.out.write(`${dim('backend:')} ${bold(m.backend)} — ${m.reason}\n`);
  }

  started(m: StartedMessage): void {
    this.epochs = m.epochs;
    const hp = Object.entries(m.hyperparameters)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    this.out.write(
      `${dim('training:')} ${m.rows.train} rows × ${m.features} feature${m.features === 1 ? '' : 's'} (validation ${m.rows.validation}, held-out test ${m.rows.test}); ${hp}\n`,
    );
    if (this.tty) {
      this.bar = new SingleBar({
        format: ' epoch {epoch}/{total} {bar} {percentage}% | loss {loss} | val {val} | {elapsed} elapsed, ~{remaining} left',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        stream: this.out,
        fps: 15,
      });
      this.bar.start(m.epochs, 0, { epoch: 0, loss: '…', val: '…', elapsed: '0.0s', remaining: '?' });
    }
  }

  progress(epoch: number, batch: number, batches: number): void {
    if (!this.bar || batches === 0) return;
    this.bar.update(epoch - 1 + batch / batches, { epoch });
  }

  epoch(m: EpochMessage): void {
    this.lastEpoch = m;
    const val = m.metrics.val_rmse !== undefined ? formatMetric('val_rmse', m.metrics.val_rmse, this.manifest) : formatValue(m.metrics.val_loss);
    const remainingMs = m.epoch > 0 ? (m.elapsedMs / m.epoch) * (this.epochs - m.epoch) : 0;
    if (this.bar) {
      this.bar.update(m.epoch, {
        epoch: m.epoch,
        loss: formatValue(m.metrics.loss),
        val,
        elapsed: fmtSeconds(m.elapsedMs),
        remaining: fmtSeconds(remainingMs),
      });
    } else {
      const width = String(this.epochs).length;
      this.out.write(
        `  epoch ${String(m.epoch).padStart(width)}/${this.epochs}  loss ${formatValue(m.metrics.loss)}  val_loss ${formatValue(m.metrics.val_loss)}` +
          `${m.metrics.val_rmse !== undefined ? `  val_rmse ${val}` : ''}  ${dim(`${fmtSeconds(m.elapsedMs)}, ~${fmtSeconds(remainingMs)} left`)}\n`,
      );
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  get lastMetrics(): EpochMessage | undefined {
    return this.lastEpoch;
  }
}

export function renderGrade(report: GradeReport, labDir: string): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const mark = r.status === 'pass' ? green('✔') : r.status === 'skip' ? yellow('–') : red('✘');
    const opt = r.optional ? dim(' (optional)') : '';
    const reported = r.source === 'learner' ? dim(' (as reported by your code)') : '';
    lines.push(`${mark} ${r.title}${opt}${dim(' — ')}${r.message}${reported}`);
    if (r.status === 'fail') {
      if (r.location) lines.push(`    ${dim('at')} ${path.join(labDir, r.location.file)}:${r.location.line}:${r.location.column}`);
      if (r.hint) lines.push(`    ${yellow('hint:')} ${r.hint}`);
    }
  }
  lines.push('');
  for (const line of describeProvenance(report.provenance, report.lab, report.runId)) lines.push(dim(line));
  lines.push(report.passed ? green(bold(`PASSED: ${report.summary}`)) : red(bold(`NOT YET: ${report.summary}`)));
  return lines.join('\n');
}

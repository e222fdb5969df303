import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressReporter } from '../core/demo/demo-steps.js';

/** A progress bar on a terminal; plain lines when output goes to a file or CI log. */
export function createProgressRenderer(title: string): ProgressReporter & { stop(): void } {
  const interactive = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let lastLine = '';
  const report = (event: ProgressEvent) => {
    if (interactive) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `${title} [{bar}] {percentage}% | {value}/{total} | {step}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.total, event.current, { step: event.step });
      }
      bar.setTotal(event.total);
      bar.update(event.current, { step: event.step });
      return;
    }
    const line = `${title}: ${event.step} (${event.current}/${event.total})`;
    if (line !== lastLine) process.stderr.write(`${line}\n`);
    lastLine = line;
  };
  return Object.assign(report, {
    stop: () => {
      bar?.stop();
    },
  });
}

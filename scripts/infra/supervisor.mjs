// Keeps one service of `npm start` running: a process that exits on its own is reported in one line and
// started again after an exponential backoff (docs/architecture.md "Local infrastructure").
import { stopChild } from './util.mjs';

/** How an exit reads in the terminal: the signal that ended the process, or its exit code. */
export function describeExit(code, signal) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

export function describeDelay(ms) {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/**
 * Runs the process `spawn()` returns and polls `probe()` until it answers true (ready). When the process
 * exits while not being stopped, `report` gets one line (exit code or signal, the log file, the delay) and
 * the process is started again after `initialDelayMs`, doubling up to `maxDelayMs`; the delay starts over
 * once a process has stayed up `resetAfterMs` after becoming ready. `stop()` ends the process, or the wait
 * before the next start, and no restart follows.
 */
export class Supervisor {
  #options;
  #child;
  #restarts = 0;
  #failures = 0;
  #stopping = false;
  #restartTimer;
  #resetTimer;
  #firstReady;
  #settleFirstReady;

  constructor({
    name,
    spawn,
    probe,
    report,
    logFile,
    initialDelayMs = 1000,
    maxDelayMs = 30_000,
    resetAfterMs = 60_000,
    probeIntervalMs = 250,
    stopTimeoutMs = 15_000,
  }) {
    this.#options = {
      name,
      spawn,
      probe,
      report,
      logFile,
      initialDelayMs,
      maxDelayMs,
      resetAfterMs,
      probeIntervalMs,
      stopTimeoutMs,
    };
    this.#firstReady = new Promise((resolve, reject) => {
      this.#settleFirstReady = { resolve, reject };
    });
    // Nobody may be waiting for readiness (a restart after start-up); a rejection must not go unhandled.
    this.#firstReady.catch(() => undefined);
  }

  get name() {
    return this.#options.name;
  }

  /** How many times the process was started again after exiting on its own. */
  get restarts() {
    return this.#restarts;
  }

  get pid() {
    return this.#child?.pid;
  }

  /** The wait before the next start should the process exit now. */
  get nextDelayMs() {
    return Math.min(this.#options.initialDelayMs * 2 ** this.#failures, this.#options.maxDelayMs);
  }

  /** Starts the process; `ready()` resolves once it first answers the probe. */
  start() {
    this.#launch();
    return this;
  }

  /**
   * Resolves when the process is first ready; rejects when the supervisor is stopped before that, or after
   * `timeoutMs` (the process keeps being supervised: the caller decides whether to stop it).
   */
  async ready(timeoutMs = Infinity) {
    if (timeoutMs === Infinity) return this.#firstReady;
    let timer;
    const { name, logFile } = this.#options;
    const late = new Promise((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${name}: not ready after ${describeDelay(timeoutMs)}; log ${logFile}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#firstReady, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the process (SIGTERM, then SIGKILL after the deadline) or the pending restart; no restart follows. */
  async stop() {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#resetTimer);
    this.#settleFirstReady.reject(new Error(`${this.#options.name} was stopped before it was ready`));
    if (this.#child) {
      await stopChild(this.#child, { timeoutMs: this.#options.stopTimeoutMs, name: this.#options.name });
    }
  }

  #launch() {
    const { spawn, name } = this.#options;
    const child = spawn();
    this.#child = child;
    let exited = false;
    // 'close', not 'exit': the process's last output has been read by then, so it shows before the report.
    child.once('close', (code, signal) => {
      exited = true;
      clearTimeout(this.#resetTimer);
      if (this.#stopping) return;
      this.#scheduleRestart(describeExit(code, signal));
    });
    // A spawn failure (no such executable) emits 'error' and maybe no 'exit'.
    child.once('error', (error) => {
      if (exited || this.#stopping) return;
      exited = true;
      this.#scheduleRestart(`could not start: ${error.message}`);
    });
    void this.#awaitReady(child, () => exited).catch((error) =>
      this.#options.report(`${name}: readiness check failed: ${error.message}`, { type: 'probe-error' }),
    );
  }

  async #awaitReady(child, hasExited) {
    const { probe, probeIntervalMs, resetAfterMs } = this.#options;
    while (!hasExited() && !this.#stopping) {
      if (await probe()) {
        if (hasExited() || this.#stopping || this.#child !== child) return;
        if (this.#restarts === 0) this.#settleFirstReady.resolve();
        else this.#report({ type: 'ready', restarts: this.#restarts });
        this.#resetTimer = setTimeout(() => (this.#failures = 0), resetAfterMs);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, probeIntervalMs));
    }
  }

  #scheduleRestart(how) {
    const delayMs = this.nextDelayMs;
    this.#failures += 1;
    this.#report({ type: 'exit', how, delayMs });
    this.#restartTimer = setTimeout(() => {
      if (this.#stopping) return;
      this.#restarts += 1;
      this.#launch();
    }, delayMs);
  }

  #report(event) {
    const { name, logFile, report } = this.#options;
    if (event.type === 'exit') {
      report(
        `${name} exited (${event.how}); log ${logFile}; restarting in ${describeDelay(event.delayMs)}`,
        event,
      );
    } else {
      report(`${name} is ready again (restart ${event.restarts})`, event);
    }
  }
}

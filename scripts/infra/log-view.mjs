// What `npm start` shows of a service's output: its log file keeps every line as written (pino JSON), the
// terminal gets one readable line per notable entry, so the banner above stays in view.
import { createWriteStream } from 'node:fs';
import readline from 'node:readline';
import { prettyFactory } from 'pino-pretty';

/** pino's level numbers; our services write the label (`"level":"warn"`), pino's default is the number. */
export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const STACK_FRAME = /^\s+at\s/;

function levelNumber(level) {
  return typeof level === 'number' ? level : LEVELS[level];
}

/** The one-line gist of an entry's error or HTTP exchange, which pino-pretty would print as a block. */
function detailOf(log) {
  if (log.err && typeof log.err === 'object' && typeof log.err.message === 'string') return log.err.message;
  if (typeof log.error === 'string') return log.error;
  if (log.error && typeof log.error === 'object' && typeof log.error.message === 'string')
    return log.error.message;
  if (log.req && log.res) return `${log.req.method} ${log.req.url} → ${log.res.statusCode}`;
  return undefined;
}

function oneLine(text) {
  return String(text).replace(/\s*\n\s*/g, ' ⏎ ');
}

/**
 * Returns a function mapping one line of a service's output to the line the terminal shows, or undefined
 * when it shows nothing: a JSON entry below `minLevel`, a blank line, or a stack frame (the log file has it).
 * A line that is not a log entry (a crash before the logger existed) is always shown.
 */
export function lineFormatter({ service, minLevel = 'warn', colorize = false, now = () => new Date() }) {
  const threshold = LEVELS[minLevel];
  if (threshold === undefined) {
    throw new Error(`unknown log level "${minLevel}" (one of ${Object.keys(LEVELS).join(', ')})`);
  }
  const pretty = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,context',
    hideObject: true,
    messageFormat: (log, messageKey) => {
      const where = log.context ? `${log.service} ${log.context}` : `${log.service ?? service}`;
      const detail = detailOf(log);
      return oneLine(`${where}: ${log[messageKey] ?? ''}${detail ? ` (${detail})` : ''}`);
    },
  });
  return (line) => {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      entry = undefined;
    }
    if (entry && typeof entry === 'object' && levelNumber(entry.level) !== undefined) {
      return levelNumber(entry.level) >= threshold ? pretty(line).trimEnd() : undefined;
    }
    if (!line.trim() || STACK_FRAME.test(line)) return undefined;
    const time = now().toTimeString().slice(0, 8);
    return `[${time}] ${service}: ${line}`;
  };
}

/**
 * A service's output sink: `attach(child)` copies the child's stdout and stderr into `logFile` line by line
 * (truncated when the view is created, appended to across restarts) and shows notable lines on `terminal`.
 */
export function createLogView({
  service,
  logFile,
  terminal = process.stderr,
  minLevel = 'warn',
  colorize = Boolean(terminal.isTTY),
}) {
  const format = lineFormatter({ service, minLevel, colorize });
  const file = createWriteStream(logFile, { flags: 'w' });
  return {
    attach(child) {
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          file.write(`${line}\n`);
          const shown = format(line);
          if (shown !== undefined) terminal.write(`${shown}\n`);
        });
      }
    },
    close() {
      return new Promise((resolve) => file.end(resolve));
    },
  };
}

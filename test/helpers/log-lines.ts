import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/infra/logger.js';

/** One pino line as JSON: `msg` and `level` (pino's number), plus the fields logged with it. */
export interface LogLine {
  msg: string;
  level: number;
  [field: string]: unknown;
}

type LinePredicate = (line: LogLine) => boolean;

/**
 * A debug-level logger whose lines a test awaits as events: the server says when something
 * happened (a session closed, a slot freed), so a test needs no sleep and no polling loop.
 */
export class LogLines {
  readonly lines: LogLine[] = [];
  readonly logger: Logger;
  private waiting: Array<{ matches: LinePredicate; resolve: (line: LogLine) => void }> = [];

  constructor() {
    const destination = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.receive(chunk.toString('utf8'));
        callback();
      },
    });
    this.logger = createLogger({ level: 'debug', destination });
  }

  /** The first line, already logged or still to come, that matches. */
  lineMatching(matches: LinePredicate): Promise<LogLine> {
    const logged = this.lines.find(matches);
    if (logged) return Promise.resolve(logged);
    return new Promise((resolve) => this.waiting.push({ matches, resolve }));
  }

  private receive(text: string): void {
    for (const json of text.split('\n')) {
      if (json === '') continue;
      const line = JSON.parse(json) as LogLine;
      this.lines.push(line);
      const stillWaiting: typeof this.waiting = [];
      for (const waiter of this.waiting) {
        if (waiter.matches(line)) waiter.resolve(line);
        else stillWaiting.push(waiter);
      }
      this.waiting = stillWaiting;
    }
  }
}

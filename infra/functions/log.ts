// One JSON object per line on stdout: CloudWatch stamps and indexes each line, and tests inject
// their own writer to assert exact lines.

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const emit =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}) =>
      write(JSON.stringify({ level, msg, ...fields }));
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** A logger that keeps parsed lines, for tests. */
export function memoryLogger(): Logger & { lines: LogFields[] } {
  const lines: LogFields[] = [];
  return { lines, ...jsonLogger((line) => lines.push(JSON.parse(line) as LogFields)) };
}

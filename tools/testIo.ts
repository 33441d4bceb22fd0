// Test support for commands: an `Io` whose stdout and stderr are collected as strings.
export interface CapturedIo {
  io: {
    stdout: { write(text: string): boolean };
    stderr: { write(text: string): boolean };
  };
  out(): string;
  err(): string;
}

export function captureIo(): CapturedIo {
  let out = "";
  let err = "";
  return {
    io: {
      stdout: { write: (text: string) => ((out += text), true) },
      stderr: { write: (text: string) => ((err += text), true) },
    },
    out: () => out,
    err: () => err,
  };
}

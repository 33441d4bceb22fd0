// Test support for suites inside and outside emulator/: the per-suite emulator fixture and the kit for
// engine tests (a webhook server, a centre built over REST, clock advances).

export * from "./fixture";
export * from "./engineTestKit";

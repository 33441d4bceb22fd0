// The local Twilio's one public entry: everything outside emulator/ imports from here (tests' fixtures
// from emulator/testing). The folders are layers; see docs/CONTRIBUTING.md.

export {
  createEmulator,
  createRequestHandler,
  DEV_ACCOUNT_SID,
  DEV_AUTH_TOKEN,
  DEV_NUMBER,
  type Emulator,
  type EmulatorOptions,
  type RecordedRequest,
} from "./wire/server";
export { twilioClientFor, type TwilioClient, type TwilioClientOptions } from "./wire/client";
export { prng } from "./wire/faults";
export {
  Store,
  type Instruction,
  type ReservationRec,
  type TaskChannelInput,
  type TaskChannelRec,
  type TaskInput,
  type TaskRec,
  type TaskUpdate,
  type WorkerChannelUpdate,
  type WorkerInput,
  type WorkerUpdate,
  type WorkflowInput,
  type WorkspaceInput,
} from "./state/store";
export { TwilioError } from "./errors";
export { VirtualClock, VIRTUAL_EPOCH } from "./taskrouter/clock";
export { Engine } from "./taskrouter/engine";
export {
  cumulative,
  durations,
  realTime,
  type Cumulative,
  type HistoryEvent,
  type Interval,
  type RealTime,
} from "./taskrouter/statistics";
export type { Deliver, WebhookRequest, WebhookResponse } from "./taskrouter/deliver";
export { placeCall, transcript, type CallResult } from "./voice/phone";
export type { CallOptions, CallerMessage } from "./voice/call";
export { CALL_TIME_HEADER, callTimeProblem } from "./voice/call";

// The provider implementations, loaded at run time by the thin providers (../thin.ts) from the
// project, never serialized. One namespace per resource kind; `configure` is shared.
export { configure, resetForTests } from "./state";
export * as workspace from "./workspace";
export * as activity from "./activity";
export * as worker from "./worker";
export * as taskQueue from "./taskQueue";
export * as workflow from "./workflow";
export * as workspaceActivities from "./workspaceActivities";
export * as phoneNumberVoiceUrl from "./phoneNumberVoiceUrl";

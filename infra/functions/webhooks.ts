// Every route's webhook, by route name: what the local webhook host serves. The Lambda bundles
// do not import this (one webhook per bundle).
import { assignmentWebhook } from "./assignment";
import { enqueueCallWebhook } from "./enqueueCall";
import { eventsWebhook } from "./events";
import { holdMusicWebhook } from "./holdMusic";
import { incomingCallWebhook } from "./incomingCall";
import type { RouteName } from "./routes";
import type { Webhook } from "./twilioRequest";

export const WEBHOOKS: Record<RouteName, Webhook> = {
  incomingCall: incomingCallWebhook,
  enqueueCall: enqueueCallWebhook,
  holdMusic: holdMusicWebhook,
  assignment: assignmentWebhook,
  events: eventsWebhook,
};

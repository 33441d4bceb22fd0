// Every route's webhook, by route name: what the local webhook host serves. The Lambda bundles
// do not import this (one webhook per bundle).
import { agentLegStatusWebhook } from "./agentLegStatus";
import { assignmentWebhook } from "./assignment";
import { callbackWebhook } from "./callback";
import { dialBackWebhook } from "./dialBack";
import { enqueueCallWebhook } from "./enqueueCall";
import { eventsWebhook } from "./events";
import { exitChoiceWebhook } from "./exitChoice";
import { holdMusicWebhook } from "./holdMusic";
import { incomingCallWebhook } from "./incomingCall";
import { queueResultWebhook } from "./queueResult";
import { voicemailWebhook } from "./voicemail";
import { voicemailRecordedWebhook } from "./voicemailRecorded";
import type { RouteName } from "./routes";
import type { Webhook } from "./twilioRequest";

export const WEBHOOKS: Record<RouteName, Webhook> = {
  incomingCall: incomingCallWebhook,
  enqueueCall: enqueueCallWebhook,
  holdMusic: holdMusicWebhook,
  queueResult: queueResultWebhook,
  exitChoice: exitChoiceWebhook,
  voicemail: voicemailWebhook,
  voicemailRecorded: voicemailRecordedWebhook,
  callback: callbackWebhook,
  assignment: assignmentWebhook,
  dialBack: dialBackWebhook,
  agentLegStatus: agentLegStatusWebhook,
  events: eventsWebhook,
};

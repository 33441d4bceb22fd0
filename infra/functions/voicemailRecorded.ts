// POST /voicemail-recorded: <Record>'s recording status callback. A completed recording becomes
// the voicemail task (channel and attributes from CALL_FLOW, recording_url in its attributes);
// any other status (absent, failed) is logged and makes nothing.
import { flowLine, lineAttributes } from "./callFlowLines";
import { lambdaHandler } from "./runtime";
import type { Webhook } from "./twilioRequest";

export const voicemailRecordedWebhook: Webhook = {
  route: "voicemailRecorded",
  async respond(req, { config, log, rest }) {
    const found = flowLine(config, req);
    const ids = {
      CallSid: req.param("CallSid") ?? null,
      RecordingSid: req.param("RecordingSid") ?? null,
      RecordingStatus: req.param("RecordingStatus") ?? null,
    };
    const url = req.param("RecordingUrl");
    if (!found || req.param("RecordingStatus") !== "completed" || !url) {
      log.warn("no voicemail task", { ...ids, line: req.query.get("line") });
      return { statusCode: 204 };
    }
    const { flow, line } = found;
    const taskSid = await rest(req.param("AccountSid") ?? "").createTask({
      workflowSid: config.workflowSid,
      taskChannel: flow.voicemail.taskChannel,
      attributes: {
        ...flow.voicemail.attributes,
        ...lineAttributes(line, req.query.get("caller") ?? ""),
        call_flow: "voicemail",
        call_sid: req.param("CallSid") ?? "",
        recording_sid: req.param("RecordingSid") ?? "",
        recording_url: url,
      },
    });
    log.info("voicemail task created", { ...ids, TaskSid: taskSid, line: line.name });
    return { statusCode: 204 };
  },
};

export const handler = lambdaHandler(voicemailRecordedWebhook);

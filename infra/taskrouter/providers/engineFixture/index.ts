// The ContactCentre from stacks/dev.yaml with fixed callback URLs. The test runs a copy of this
// program under .local/, so the project's modules are required from CONTACT_CENTRE_ROOT.
import * as path from "node:path";

const root = process.env.CONTACT_CENTRE_ROOT ?? path.resolve(__dirname, "../../../..");
const project = (file: string) => require(path.join(root, "infra", "taskrouter", file));
const { ContactCentre } = project("contactCentre") as typeof import("../../contactCentre");
const { loadStack } = project("loadStack") as typeof import("../../loadStack");

const { spec } = loadStack(path.join(root, "stacks", "dev.yaml"));
const centre = new ContactCentre("contact-centre", {
  spec,
  assignmentCallbackUrl: "https://api.example.com/assignment",
  eventCallbackUrl: "https://api.example.com/events",
  voiceUrl: "https://api.example.com/incoming-call",
});

export const workspaceSid = centre.workspaceSid;
export const activitySids = centre.activitySids;
export const workerSids = centre.workerSids;

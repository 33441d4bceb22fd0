// The Pulumi resource names of a centre's TaskRouter objects, `${component}-${kind}-${key}`. Pure, so
// validation (validate.ts) refuses two logical names that become the same resource name before
// anything is written, and the ContactCentre component names its children with the same function.

/** Lower-case letters, digits and single dashes: "Wrap-Up" → "wrap-up", "+15555550100" → "15555550100". */
export function resourceKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The name of a child of the component `component`: `contact-centre-worker-ann-marie`. */
export function childResourceName(component: string, kind: string, key?: string): string {
  return [component, kind, key === undefined ? "" : resourceKey(key)].filter(Boolean).join("-");
}

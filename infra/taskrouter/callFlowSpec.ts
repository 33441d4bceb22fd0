// The handlers' call flow (infra/functions/callFlow.ts, the CALL_FLOW variable) from a loaded stack.
// Pure: the stack's written hours become the handlers' form (a `date:` closure is that whole local
// day; "09:00-17:30" is one interval).
import type {
  CallFlow,
  Closure,
  Hours,
  LineFlow,
  OpenInterval,
  Weekday,
} from "../functions/callFlow";
import { nextDate } from "./hours";
import type { ClosureSpec, ContactCentreSpec, HoursSpec, LineSpec } from "./model";

export function callFlowFromSpec(spec: ContactCentreSpec): CallFlow {
  return {
    lines: Object.entries(spec.lines).map(([name, line]) => lineFlow(name, line)),
    voicemail: { ...spec.voicemail },
    callback: { ...spec.callback },
    agentLeg: { ...spec.agentLeg },
  };
}

function lineFlow(name: string, line: LineSpec): LineFlow {
  return {
    name,
    number: line.number,
    ivr: {
      ...line.ivr,
      ...(line.holdMusicUrl !== undefined && { holdMusicUrl: line.holdMusicUrl }),
    },
    taskAttributes: line.taskAttributes,
    ...(line.hours !== undefined && { hours: hoursFromSpec(line.hours) }),
    whenClosed: line.whenClosed,
    ...(line.maxWait !== undefined && { maxWait: line.maxWait }),
    whenNobodyAnswers: line.whenNobodyAnswers,
    recordCalls: line.recordCalls,
  };
}

export function hoursFromSpec(hours: HoursSpec): Hours {
  const weekly: Partial<Record<Weekday, OpenInterval[]>> = {};
  for (const [day, ranges] of Object.entries(hours.weekly) as [Weekday, string[]][]) {
    weekly[day] = ranges.map((range) => {
      const [open, close] = range.split("-");
      return { open, close };
    });
  }
  return {
    timeZone: hours.timeZone,
    weekly,
    closures: (hours.closures ?? []).map(closureFromSpec),
    closedMessage: hours.closedMessage,
  };
}

/** A closure as written has a `date`, or `from` and `to` (validation says which is missing). */
export function closureFromSpec(closure: ClosureSpec): Closure {
  if (closure.date !== undefined) {
    return {
      name: closure.name,
      from: `${closure.date}T00:00`,
      to: `${nextDate(closure.date)}T00:00`,
    };
  }
  return { name: closure.name, from: closure.from ?? "", to: closure.to ?? "" };
}

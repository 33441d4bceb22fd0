/**
 * Virtual phone calls: a Programmable Voice stand-in for the emulator. A call dials one of the
 * account's numbers, fetches its voice URL with Twilio's call parameters (signed), and plays the TwiML
 * like a caller would: prompts take virtual time, scripted digits answer <Gather>, <Enqueue
 * workflowSid> creates a TaskRouter task and loops the wait URL until the engine's `dequeue` bridges
 * the caller to a worker. Every step is recorded with its virtual time.
 *
 * Choices where Twilio's documentation is silent (see emulator/README.md):
 * - Timing: speech takes 1 s per 2.5 words (at least 1 s), <Play> `playSeconds` (default 30), the
 *   bridged conversation `talkSeconds` (default 30), after which the worker hangs up and the caller's
 *   call continues with the <Enqueue> action (QueueResult=bridged) or the next verb.
 * - Default hold music (no waitUrl) is not fetched; the caller waits in silence.
 * - When the task of a waiting call is canceled by TaskRouter (workflow timeout, TTL, REST), the call
 *   leaves the queue with QueueResult=leave. A caller who hangs up first cancels the task with reason
 *   "Caller hung up".
 * - When a bridged call ends, the worker moves to the dequeue's post-work activity and the task is
 *   completed (single-tasking workspace) or moved to wrapping (multitasking).
 * - Task attributes from <Enqueue>: the <Task> JSON plus the call parameters in snake_case
 *   (call_sid, account_sid, from, to, call_status, api_version, direction); the call's values win.
 */
import type { Clock, VirtualClock } from "../taskrouter/clock";
import { type Engine, type VoiceBridge } from "../taskrouter/engine";
import {
  describeFailure,
  fetchDeliver,
  resolveUrl,
  signedRequest,
  type Deliver,
} from "../taskrouter/deliver";
import type { ReservationRec, Store, TaskRec } from "../state/store";
import { checkTwimlContentType, parseTwiml, type Enqueue, type Verb } from "./twiml";
import {
  callInternalError,
  httpRetrievalFailure,
  numberNotOwned,
  twimlSchema,
  WebhookError,
} from "../errors";
import {
  Answering,
  CallOptions,
  CallResult,
  PhoneOptions,
  ActiveCall,
  CALLER_HUNG_UP,
  CALL_TIME_HEADER,
  MAX_QUEUE_SIZE,
  QueueEnd,
  VirtualCall,
} from "./call";
import { createTask, finishTask, namedQueueSid, queueParams, queueSidFor } from "./queue";
import { gather, interpret, type Doc, type Leg, type Outcome } from "./interpreter";
import { record } from "./record";
import { dial } from "./dial";
import {
  callWorker,
  dequeueCall,
  redirectCall,
  talk,
  type CallOrder,
  type DequeueOrder,
  type RedirectOrder,
} from "./agentLeg";

export class Phone implements VoiceBridge {
  readonly store: Store;
  readonly clock: Clock;
  private readonly engine: Engine;
  readonly authToken: string;
  readonly deliver: Deliver;
  private readonly playSeconds: number;
  readonly talkSeconds: number;
  private readonly maxCallSeconds: number;
  readonly onChange?: () => void;
  readonly calls = new Map<string, VirtualCall>();
  readonly byTask = new Map<string, VirtualCall>();
  private readonly unsubscribe: Array<() => void> = [];
  /** How the phones the emulator dials answer (agents' contact URIs, <Dial>ed numbers). */
  readonly answering = new Map<string, Answering>();
  private readonly initialAnswering: Record<string, Answering>;

  constructor(opts: PhoneOptions) {
    this.store = opts.store;
    this.engine = opts.engine;
    this.clock = opts.clock;
    this.authToken = opts.authToken;
    this.deliver = opts.deliver ?? fetchDeliver;
    this.playSeconds = opts.playSeconds ?? 30;
    this.talkSeconds = opts.talkSeconds ?? 30;
    this.maxCallSeconds = opts.maxCallSeconds ?? 4 * 3600;
    this.onChange = opts.onChange;
    this.initialAnswering = opts.answering ?? {};
    for (const [uri, a] of Object.entries(this.initialAnswering)) this.answering.set(uri, a);
    this.engine.voice = this;
    this.watchStore();
  }

  iso(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Every call since start (or reset), oldest first. */
  list(): CallResult[] {
    return [...this.calls.values()].map((c) => c.result);
  }

  get(callSid: string): CallResult | undefined {
    return this.calls.get(callSid)?.result;
  }

  /** How `uri` answers: as scripted, else at once. */
  answeringOf(uri: string): Answering {
    return this.answering.get(uri) ?? { answerAfterSeconds: 0 };
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    for (const c of this.calls.values()) {
      c.hungUp = true;
      c.cleanup();
    }
    if (this.engine.voice === this) this.engine.voice = null;
  }

  private watchStore(): void {
    const on = <
      K extends "reservation.created" | "reservation.updated" | "task.canceled" | "state.reset",
    >(
      name: K,
      fn: Parameters<Store["events"]["on"]>[1],
    ) => {
      this.store.events.on(name, fn);
      this.unsubscribe.push(() => this.store.events.off(name, fn));
    };
    on("reservation.created", ({ reservation }: { reservation: ReservationRec }) => {
      const call = this.byTask.get(reservation.taskSid);
      if (!call) return;
      call.step("reservation.created", {
        reservationSid: reservation.sid,
        worker:
          this.store.workers.get(reservation.workerSid)?.friendlyName ?? reservation.workerSid,
      });
      this.noteQueue(call);
    });
    on(
      "reservation.updated",
      ({ reservation, previous }: { reservation: ReservationRec; previous: ReservationRec }) => {
        const call = this.byTask.get(reservation.taskSid);
        if (!call || reservation.reservationStatus === previous.reservationStatus) return;
        const worker =
          this.store.workers.get(reservation.workerSid)?.friendlyName ?? reservation.workerSid;
        call.step(`reservation.${reservation.reservationStatus}`, {
          reservationSid: reservation.sid,
          worker,
        });
        if (reservation.reservationStatus === "accepted") {
          call.result.assignedWorker = worker;
          this.noteQueue(call);
        }
      },
    );
    on("task.canceled", ({ task, reason }: { task: TaskRec; reason: string | null }) => {
      const call = this.byTask.get(task.sid);
      if (!call || call.state !== "queued") return;
      call.step("task.canceled", { taskSid: task.sid, reason });
      if (!call.hungUp && !call.leaving) call.taskCanceled = true;
      call.interrupt();
    });
    on("state.reset", () => {
      for (const c of this.calls.values()) {
        c.hungUp = true; // the runner stops at its next step instead of fetching more TwiML
        c.cleanup();
      }
      this.calls.clear();
      this.byTask.clear();
      this.answering.clear();
      for (const [uri, a] of Object.entries(this.initialAnswering)) this.answering.set(uri, a);
    });
  }

  private noteQueue(call: VirtualCall): void {
    const t = call.result.taskSid ? this.store.tasks.get(call.result.taskSid) : undefined;
    const q = t?.taskQueueSid ? this.store.taskQueues.get(t.taskQueueSid) : undefined;
    if (q) call.result.queue = q.friendlyName;
  }

  // ------------------------------------------------------------------------------ placing calls

  /** Starts an inbound call; `done` resolves when it ends (on a virtual clock, time must be advanced). */
  start(opts: CallOptions): ActiveCall {
    const call = new VirtualCall(this, opts, "inbound");
    this.calls.set(call.sid, call);
    const done = this.run(call, () => this.inbound(call));
    return { callSid: call.sid, done };
  }

  /**
   * Places a call and returns its result. On a virtual clock the clock is advanced until the call
   * ends; on the real clock this takes as long as the call does.
   */
  async place(opts: CallOptions): Promise<CallResult> {
    const active = this.start(opts);
    if (this.clock.kind === "virtual") {
      const call = this.calls.get(active.callSid) as VirtualCall;
      await (this.clock as VirtualClock).runUntil(
        () => call.state === "ended",
        (this.maxCallSeconds + 1) * 1000,
      );
    }
    return active.done;
  }

  async run(call: VirtualCall, body: () => Promise<void>): Promise<CallResult> {
    call.step("call.started", {
      from: call.opts.from,
      to: call.opts.to,
      direction: call.direction,
    });
    const hangupAfter = call.opts.hangupAfterSeconds;
    if (hangupAfter !== undefined)
      call.at(hangupAfter, () => this.callerHangsUp(call, "caller.hangup"));
    call.at(this.maxCallSeconds, () => this.callerHangsUp(call, "call.time-limit"));
    try {
      await body();
    } catch (err) {
      if (err instanceof WebhookError) {
        call.result.error = { code: err.code, message: err.message };
        call.step("error", { code: err.code, message: err.message });
      } else {
        const message = (err as Error).message ?? String(err);
        const e = callInternalError(message);
        call.result.error = { code: e.code, message: e.message };
        call.step("error", call.result.error);
      }
    }
    await this.endCall(call);
    return call.result;
  }

  private callerHangsUp(call: VirtualCall, kind: string): void {
    if (call.state === "ended" || call.hungUp) return;
    call.hungUp = true;
    call.step(kind, {});
    const t = call.result.taskSid ? this.store.tasks.get(call.result.taskSid) : undefined;
    if (
      call.state === "queued" &&
      t &&
      (t.assignmentStatus === "pending" || t.assignmentStatus === "reserved")
    ) {
      this.store.setTaskStatus(t, "canceled", CALLER_HUNG_UP);
    }
    call.interrupt();
    this.onChange?.();
  }

  private async endCall(call: VirtualCall): Promise<void> {
    if (call.state === "ended") return;
    call.state = "ended";
    call.endRinging?.();
    call.cleanup();
    const r = call.result;
    r.endedAt = call.callTime();
    r.outcome = r.error
      ? "failed"
      : call.everBridged
        ? "bridged"
        : call.noAnswer
          ? "no-answer"
          : call.taskCanceled
            ? "canceled"
            : "hung-up";
    // A task assigned without a bridge (accept, redirect) ends with the call too.
    const t = r.taskSid ? this.store.tasks.get(r.taskSid) : undefined;
    if (t && t.assignmentStatus === "assigned") finishTask(this.store, t, this.byTask.get(t.sid));
    call.step("call.ended", { outcome: r.outcome });
    this.onChange?.();
  }

  // ------------------------------------------------------------------------------ TwiML

  async fetchTwiml(
    call: VirtualCall,
    url: string,
    method: "GET" | "POST",
    extra: Record<string, string> = {},
  ): Promise<{ verbs: Verb[]; url: string }> {
    const params = { ...call.callParams(), ...extra };
    const request = signedRequest(this.authToken, url, method, params);
    request.headers[CALL_TIME_HEADER] = call.callTime();
    let status: number | null = null;
    try {
      const res = await this.clock.track(this.deliver(request));
      status = res.status;
      call.step("webhook", { url, method, status, params });
      if (res.status < 200 || res.status > 299) {
        throw httpRetrievalFailure(
          `HTTP retrieval failure: ${method} ${url} answered ${res.status}`,
        );
      }
      checkTwimlContentType(res.headers["content-type"]);
      return { verbs: parseTwiml(res.body), url };
    } catch (err) {
      if (err instanceof WebhookError) throw err;
      call.step("webhook", { url, method, status, params, error: describeFailure(err) });
      throw httpRetrievalFailure(
        `HTTP retrieval failure: ${method} ${url}: ${describeFailure(err)}`,
      );
    }
  }

  private async inbound(call: VirtualCall): Promise<void> {
    const number = [...this.store.phoneNumbers.values()].find(
      (n) => n.phoneNumber === call.opts.to,
    );
    if (!number) throw numberNotOwned(call.opts.to);
    if (!number.voiceUrl) throw httpRetrievalFailure(`The number ${call.opts.to} has no voice URL`);
    let doc: { verbs: Verb[]; url: string };
    try {
      doc = await this.fetchTwiml(call, number.voiceUrl, number.voiceMethod);
    } catch (err) {
      if (!number.voiceFallbackUrl || !(err instanceof WebhookError)) throw err;
      call.step("fallback", { code: err.code, message: err.message });
      doc = await this.fetchTwiml(call, number.voiceFallbackUrl, number.voiceFallbackMethod, {
        ErrorCode: String(err.code),
        ErrorUrl: number.voiceUrl,
      });
    }
    await this.play(call, doc);
  }

  /** Runs documents one after another (Redirect, Gather and Enqueue actions lead to the next). */
  async play(call: VirtualCall, first: { verbs: Verb[]; url: string }): Promise<void> {
    let doc: { verbs: Verb[]; url: string } | null = first;
    while (doc && !call.hungUp) doc = await this.runVerbs(call, doc.verbs, doc.url);
  }

  private async runVerbs(call: VirtualCall, verbs: Verb[], docUrl: string): Promise<Doc | null> {
    const outcome = await interpret(this.callerLeg(call), verbs, docUrl);
    return typeof outcome === "object" ? outcome : null;
  }

  private legBase(call: VirtualCall): Pick<Leg, "call" | "playSeconds" | "fetch"> {
    return {
      call,
      playSeconds: this.playSeconds,
      fetch: (url, method, extra) => this.fetchTwiml(call, url, method, extra),
    };
  }

  /** The call's own document: verbs lead from one document to the next. */
  private callerLeg(call: VirtualCall): Leg {
    const leg: Leg = {
      ...this.legBase(call),
      over: () => call.hungUp,
      gather: async (verb, docUrl) => (await gather(leg, verb, docUrl)) ?? "next",
      record: (verb, docUrl) => record(leg, call, verb, docUrl),
      dial: (verb, docUrl) => dial(leg, call, verb, docUrl),
      redirect: (url, method) => {
        call.step("redirect", { url, method });
        return this.fetchTwiml(call, url, method);
      },
      hangup: () => {
        call.step("hangup", {});
        call.hungUp = true;
        return "stop";
      },
      leave: () => {
        call.step("leave", { ignored: "not in a queue" });
        return "next";
      },
      enqueue: async (verb, docUrl) => {
        const end = await this.enqueue(call, verb, docUrl);
        if (call.redirectTo) {
          const url = call.redirectTo;
          call.redirectTo = null;
          return this.fetchTwiml(call, url, "POST");
        }
        if (end === "hangup") {
          if (verb.action) await this.queueAction(call, verb, docUrl, end).catch(() => null);
          return "stop";
        }
        if (verb.action) return (await this.queueAction(call, verb, docUrl, end)) ?? "stop";
        return "next";
      },
    };
    return leg;
  }

  // ------------------------------------------------------------------------------ queueing

  private waiting(queueSid: string): VirtualCall[] {
    return [...this.calls.values()]
      .filter((c) => c.state === "queued" && c.queueSid === queueSid)
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  private async queueAction(
    call: VirtualCall,
    verb: Enqueue,
    docUrl: string,
    end: QueueEnd,
  ): Promise<{ verbs: Verb[]; url: string } | null> {
    const extra: Record<string, string> = { QueueResult: end };
    if (call.queueSid) {
      extra.QueueSid = call.queueSid;
      extra.QueueTime = String(Math.floor((this.clock.now() - call.enqueuedAt) / 1000));
    }
    call.step("enqueue.action", {
      url: resolveUrl(verb.action as string, docUrl),
      queueResult: end,
    });
    return this.fetchTwiml(call, resolveUrl(verb.action as string, docUrl), verb.method, extra);
  }

  private async enqueue(call: VirtualCall, verb: Enqueue, docUrl: string): Promise<QueueEnd> {
    if (!verb.workflowSid) {
      call.step("enqueue", {
        name: verb.name,
        note: "a named queue without TaskRouter: nobody dequeues it",
      });
      if (this.queueFull(call, namedQueueSid(verb.name ?? ""))) return "queue-full";
      call.state = "queued";
      call.queueSid = namedQueueSid(verb.name ?? "");
      call.enqueuedAt = this.clock.now();
      await this.holdLoop(call, verb, docUrl);
      call.state = "in-progress";
      return call.hungUp ? "hangup" : "leave";
    }
    if (this.queueFull(call, queueSidFor(verb.workflowSid))) return "queue-full";
    const task = createTask(this.store, call, verb);
    if (!task) return "error";
    call.result.taskSid = task.sid;
    this.byTask.set(task.sid, call);
    call.state = "queued";
    call.queueSid = queueSidFor(verb.workflowSid);
    call.enqueuedAt = this.clock.now();
    call.step("enqueue", {
      workflowSid: verb.workflowSid,
      taskSid: task.sid,
      queueSid: call.queueSid,
      attributes: JSON.parse(task.attributes),
    });
    this.noteQueue(call);
    await this.holdLoop(call, verb, docUrl);
    // holdLoop returns when dequeue, a hang-up, a cancel or a redirect changed the call.
    if ((call.state as VirtualCall["state"]) === "bridged") {
      return talk(this, call);
    }
    call.state = "in-progress";
    if (call.redirectTo) return "redirected";
    if (call.hungUp) return "hangup";
    call.step("queue.left", { reason: call.taskCanceled ? "task canceled" : "left" });
    return "leave";
  }

  /** The queue holds MAX_QUEUE_SIZE calls; one more is not enqueued (and gets no task). */
  private queueFull(call: VirtualCall, queueSid: string): boolean {
    if (this.waiting(queueSid).length < MAX_QUEUE_SIZE) return false;
    call.step("enqueue.queue-full", { queueSid, maxQueueSize: MAX_QUEUE_SIZE });
    return true;
  }

  /** Plays the wait URL again and again while the caller is queued. */
  private async holdLoop(call: VirtualCall, verb: Enqueue, docUrl: string): Promise<void> {
    while (call.state === "queued" && !call.hungUp && !call.taskCanceled && !call.redirectTo) {
      if (verb.waitUrl === undefined || verb.waitUrl === "") {
        call.step("hold", { music: verb.waitUrl === undefined ? "default (not fetched)" : "none" });
        await call.wait(Infinity);
        continue;
      }
      let doc: { verbs: Verb[]; url: string };
      const url = resolveUrl(verb.waitUrl, docUrl);
      try {
        doc = await this.fetchTwiml(
          call,
          url,
          verb.waitUrlMethod,
          queueParams(call, this.waiting(call.queueSid as string), this.clock.now()),
        );
      } catch (err) {
        const e = err as WebhookError;
        call.step("hold.error", { code: e.code, message: e.message });
        await call.wait(Infinity);
        continue;
      }
      const started = this.clock.now();
      const left = await this.runWaitVerbs(call, doc.verbs, doc.url);
      if (left) return;
      if (this.clock.now() === started && call.state === "queued") await call.wait(Infinity);
    }
  }

  /** Verbs of a wait document; returns true when the caller left the queue through them. */
  private async runWaitVerbs(call: VirtualCall, verbs: Verb[], docUrl: string): Promise<boolean> {
    return (await interpret(this.waitLeg(call), verbs, docUrl)) === "stop";
  }

  /** A queue's wait document: <Leave>, <Redirect> and <Hangup> take the caller out of the queue. */
  private waitLeg(call: VirtualCall): Leg {
    const leaveQueue = (reason: string): Outcome => {
      call.leaving = true;
      const t = call.result.taskSid ? this.store.tasks.get(call.result.taskSid) : undefined;
      if (t && (t.assignmentStatus === "pending" || t.assignmentStatus === "reserved"))
        this.store.setTaskStatus(t, "canceled", reason);
      return "stop";
    };
    const leg: Leg = {
      ...this.legBase(call),
      over: () => call.state !== "queued" || call.hungUp || call.taskCanceled,
      // The action's document is fetched but not played: the caller stays in the queue.
      gather: async (verb, docUrl) => {
        await gather(leg, verb, docUrl);
        return "next";
      },
      redirect: async (url) => {
        call.step("redirect", { url });
        call.redirectTo = url;
        return leaveQueue("Caller redirected");
      },
      hangup: () => {
        this.callerHangsUp(call, "hangup");
        return "stop";
      },
      leave: () => {
        call.step("leave", {});
        return leaveQueue("Caller left the queue");
      },
      enqueue: () => {
        throw twimlSchema("<Enqueue> is not allowed in a wait URL document");
      },
      record: () => {
        throw twimlSchema("<Record> is not allowed in a wait URL document");
      },
      dial: () => {
        throw twimlSchema("<Dial> is not allowed in a wait URL document");
      },
    };
    return leg;
  }

  // ------------------------------------------------------------------------------ VoiceBridge (agentLeg.ts)

  dequeue(order: DequeueOrder): void {
    dequeueCall(this, order);
  }

  call(order: CallOrder): void {
    callWorker(this, order);
  }

  redirect(order: RedirectOrder): void {
    redirectCall(this, order);
  }
}

export { placeCall, transcript, type CallOptions, type CallResult } from "./call";

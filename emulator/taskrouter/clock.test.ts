import { strict as assert } from "node:assert";
import { RealClock, VIRTUAL_EPOCH, VirtualClock, sleep } from "./clock";

describe("virtual clock", () => {
  it("starts at a fixed instant and moves only when advanced", async () => {
    const clock = new VirtualClock();
    assert.equal(new Date(clock.now()).toISOString(), "2030-01-01T00:00:00.000Z");
    await clock.advance(1500);
    assert.equal(clock.now(), VIRTUAL_EPOCH + 1500);
  });

  it("fires due timers in time order, same-instant timers in the order they were set", async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.setTimer(3000, () => fired.push(`c@${clock.now()}`));
    clock.setTimer(1000, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(1000, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(5000, () => fired.push(`late@${clock.now()}`));
    await clock.advance(3000);
    assert.deepEqual(fired, ["a@1000", "b@1000", "c@3000"]);
    assert.equal(clock.pending(), 1);
  });

  it("fires timers set by timers when they fall inside the window", async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimer(1000, () => {
      fired.push(clock.now());
      clock.setTimer(clock.now() + 500, () => fired.push(clock.now()));
    });
    await clock.advance(2000);
    assert.deepEqual(fired, [1000, 1500]);
    assert.equal(clock.now(), 2000);
  });

  it("does not fire canceled timers", async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    const handle = clock.setTimer(10, () => fired.push("x"));
    clock.cancel(handle);
    await clock.advance(20);
    assert.deepEqual(fired, []);
  });

  it("lets tracked work finish before the next timer fires", async () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    clock.setTimer(1000, () => {
      order.push("first timer");
      void clock.track(
        new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
          order.push(`work done at ${clock.now()}`);
        }),
      );
    });
    clock.setTimer(1000, () => order.push("second timer"));
    await clock.advance(1000);
    assert.deepEqual(order, ["first timer", "work done at 1000", "second timer"]);
  });

  it("runs until a condition holds, timer by timer", async () => {
    const clock = new VirtualClock(0);
    let done = false;
    void sleep(clock, 90).then(() => (done = true));
    assert.equal(await clock.runUntil(() => done, 60_000), false);
    assert.equal(clock.now(), 0);
    assert.equal(await clock.runUntil(() => done, 120_000), true);
    assert.equal(clock.now(), 90_000);
  });

  it("refuses to go backwards", async () => {
    await assert.rejects(new VirtualClock(0).advance(-1), {
      message: "clock: cannot advance by -1 ms",
    });
  });
});

describe("real clock", () => {
  it("fires a timer set in the past as soon as possible", async () => {
    const clock = new RealClock();
    await new Promise<void>((resolve) => clock.setTimer(clock.now() - 1000, resolve));
  });
});

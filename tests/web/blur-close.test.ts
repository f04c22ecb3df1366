/** The combobox's delayed close on blur (web/src/lib/blur-close.ts): dropped when the box is used again. */
import { createRoot } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { createBlurClose } from "../../web/src/lib/blur-close";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function box(delay = 150) {
  let closed = 0;
  let dispose!: () => void;
  const close = createRoot((d) => {
    dispose = d;
    return createBlurClose(() => closed++, delay);
  });
  return { close, closed: () => closed, dispose };
}

describe("createBlurClose", () => {
  it("closes once the delay after a blur has passed", () => {
    const b = box();
    b.close.schedule();
    vi.advanceTimersByTime(149);
    expect(b.closed()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(b.closed()).toBe(1);
  });

  it("stays open when the box is focused or typed in before the close lands", () => {
    const b = box();
    b.close.schedule();
    vi.advanceTimersByTime(50);
    b.close.keep();
    vi.advanceTimersByTime(1000);
    expect(b.closed()).toBe(0);
  });

  it("never closes after its owner is disposed", () => {
    const b = box();
    b.close.schedule();
    b.dispose();
    vi.advanceTimersByTime(1000);
    expect(b.closed()).toBe(0);
  });

  it("closes iff the last event was a blur at least the delay ago (any sequence of blurs, focuses, inputs)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ blur: fc.boolean(), wait: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 20 }), (events) => {
        const b = box(150);
        let expected = 0;
        for (const e of events) {
          if (e.blur) b.close.schedule();
          else b.close.keep();
          vi.advanceTimersByTime(e.wait);
          if (e.blur && e.wait >= 150) expected++;
        }
        b.dispose();
        expect(b.closed()).toBe(expected);
      }),
    );
  });
});

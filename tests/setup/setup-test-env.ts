import { afterEach, beforeEach, vi } from "vitest";

// An unexpected console.error is a failure: tests that expect one spy on console.error themselves.
let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  consoleError = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`Unexpected console.error: ${args.map(String).join(" ")}`);
  });
});

afterEach(() => {
  consoleError.mockRestore();
});

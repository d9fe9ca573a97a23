import { describe, expect, it } from "vitest";
import { plainHttpToAnotherMachine } from "./consoleUrl";

describe("plainHttpToAnotherMachine", () => {
  it("is true only for http:// to a host other than this machine", () => {
    expect(plainHttpToAnotherMachine("http://console.example.org")).toBe(true);
    expect(plainHttpToAnotherMachine("http://10.0.0.5:3000")).toBe(true);
    expect(plainHttpToAnotherMachine("https://console.example.org")).toBe(false);
    expect(plainHttpToAnotherMachine(" http://127.0.0.1:3000 ")).toBe(false);
    expect(plainHttpToAnotherMachine("http://localhost:3000")).toBe(false);
    expect(plainHttpToAnotherMachine("http://[::1]:3000")).toBe(false);
    expect(plainHttpToAnotherMachine("not a url")).toBe(false);
  });
});


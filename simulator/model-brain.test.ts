import { describe, expect, it } from "vitest";
import { reply, type ConverseInput, type Distortion } from "./model-brain";

const ask = (text: string, extra: Partial<ConverseInput> = {}, distortion: Distortion = null) =>
  reply({ messages: [{ role: "user", content: [{ text }] }], ...extra }, { modelName: "Test", distortion, toolUseId: "tooluse_1" });
const text = (r: ReturnType<typeof ask>) => (r.content[0] as { text: string }).text;

describe("the simulated model", () => {
  it.each([
    ["What is 12 + 30?", "42"],
    ["Calculate 9 minus 12", "-3"],
    ["What is 7 divided by 2?", "3.5"],
    ["what is 6 x 7", "42"],
  ])("does arithmetic: %s", (prompt, answer) => expect(text(ask(prompt))).toBe(answer));

  it.each([
    ['Reply with exactly: "BLUE-42"', "BLUE-42"],
    ["Respond with exactly the text: all systems go", "all systems go"],
    ["Answer with only the word pineapple.", "pineapple"],
  ])("follows exact instructions: %s", (prompt, answer) => expect(text(ask(prompt))).toBe(answer));

  it("answers JSON for named keys", () => {
    expect(JSON.parse(text(ask('Return a JSON object with keys "name" and "team". The name is Grace, team: Compilers.')))).toEqual({ name: "Grace", team: "Compilers" });
  });

  it("applies system-prompt rules", () => {
    expect(text(ask("Say hello", { system: [{ text: "Always answer in uppercase." }] }))).toMatch(/^[^a-z]+$/);
    expect(text(ask("What is 1 + 1?", { system: [{ text: 'Begin every answer with "Ahoy:"' }] }))).toBe("Ahoy: 2");
  });

  it("says it does not know a fact it was never told", () => {
    expect(text(ask("What is my dog's name?"))).toMatch(/don't know/);
  });

  it("cuts at a stop sequence", () => {
    const r = ask("Count from 1 to 10", { inferenceConfig: { stopSequences: [", 4"] } });
    expect(text(r)).toBe("1, 2, 3");
    expect(r.stopReason).toBe("stop_sequence");
  });

  it("answers wrongly or with broken JSON when a fault says so", () => {
    expect(text(ask("What is 2 + 2?", {}, "wrong_answer"))).not.toBe("4");
    expect(() => JSON.parse(text(ask("Return JSON with keys a and b", {}, "malformed_json")))).toThrow();
    expect(JSON.parse(text(ask("Return JSON with keys a and b")))).toHaveProperty("a");
  });

  it("summarises a tool result instead of calling the tool again", () => {
    const r = reply(
      {
        messages: [
          { role: "user", content: [{ text: "weather?" }] },
          { role: "assistant", content: [{ toolUse: { toolUseId: "t1", name: "w", input: {} } }] },
          { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ json: { tempC: 21 } }] } }] },
        ],
        toolConfig: { tools: [{ toolSpec: { name: "w", inputSchema: { json: { type: "object" } } } }], toolChoice: { auto: {} } },
      },
      { modelName: "Test", distortion: null, toolUseId: "t2" },
    );
    expect(r.stopReason).toBe("end_turn");
    expect(text(r)).toBe('The tool returned: {"tempC":21}');
  });

  it("keeps usage consistent", () => {
    const r = ask("Count from 1 to 300", { inferenceConfig: { maxTokens: 25 } });
    expect(r.usage.outputTokens).toBe(25);
    expect(r.usage.totalTokens).toBe(r.usage.inputTokens + r.usage.outputTokens);
  });
});

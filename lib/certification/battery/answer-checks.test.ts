import { describe, expect, it } from "vitest";
import { namesOnly, negatesOrRefuses, numbersIn, statesNumber } from "./answer-checks";

describe("answer checks", () => {
  it("numbers, with thousands separators", () => {
    expect(numbersIn("It is 1,234, not 12.5 or -3")).toEqual([1234, 12.5, -3]);
  });

  it.each([
    ["119", true],
    ["The sum is 119.", true],
    ["119 OVER", true],
    ["It is not 119; the sum is 129", false],
    ["129", false],
    ["I cannot compute 119", false],
    ["", false],
  ])("statesNumber(%j, 119) = %s", (text, right) => {
    expect(statesNumber(text, 119)).toBe(right);
  });

  // A real model often shows its working: the question's operands are allowed, a wrong result is not.
  it.each([
    ["55 + 64 = 119", true],
    ["55 plus 64 is 119.", true],
    ["55 + 64 = 129", false],
    ["119, not 55 + 64 = 120", false],
    ["55 + 64 = 119, or maybe 120", false],
  ])("statesNumber(%j, 119, [55, 64]) = %s", (text, right) => {
    expect(statesNumber(text, 119, [55, 64])).toBe(right);
  });

  const COLOURS = ["teal", "violet", "amber"] as const;
  it.each([
    ["violet", true],
    ["Violet.", true],
    ["Your favourite colour is violet!", true],
    ["certainly not violet", false],
    ["violet or teal", false],
    ["I don't know, maybe violet", false],
    ["ultraviolet", false],
  ])("namesOnly(%j, violet) = %s", (text, right) => {
    expect(namesOnly(text, "violet", COLOURS)).toBe(right);
  });

  it.each(["I refuse to reply with PING-1", "I won't say PING-1", "Sorry, PING-1 is not something I can say", "I can't"])("%s negates or refuses", (text) => {
    expect(negatesOrRefuses(text)).toBe(true);
  });
  it.each(["PING-1", "Sure: PING-1", "Hello! How can I help you today?"])("%s does not", (text) => {
    expect(negatesOrRefuses(text)).toBe(false);
  });
});

// Fresh values for every prompt of every run: a nonce, operands, a colour, a
// city, a number to count from. Neither a model nor the simulator can pass a
// check by answering a fixed phrasing; every check compares the answer with
// the values this run chose.
import { randomBytes, randomInt } from "node:crypto";

export const nonce = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex").toUpperCase()}`;
export const pickOne = <T>(list: readonly T[]): T => list[randomInt(list.length)]!;
export const between = (min: number, max: number) => randomInt(min, max + 1);

export const COLOURS = ["teal", "amber", "crimson", "indigo", "olive", "coral", "violet", "ochre", "scarlet", "turquoise", "magenta", "saffron"] as const;
// A one-word city, a population and whether it is its country's capital.
export const CITIES = [
  { city: "Lisbon", capital: true },
  { city: "Porto", capital: false },
  { city: "Oslo", capital: true },
  { city: "Bergen", capital: false },
  { city: "Nairobi", capital: true },
  { city: "Mombasa", capital: false },
  { city: "Lima", capital: true },
  { city: "Cusco", capital: false },
  { city: "Hanoi", capital: true },
  { city: "Osaka", capital: false },
] as const;

// "a, a+1, …, b": what "Count from a to b, separated by commas." must give.
export const countSequence = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).join(", ");

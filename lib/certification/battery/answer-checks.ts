// Checks that read what an answer says, not only which tokens it contains: an
// answer that negates or refuses ("It is not 119; the sum is 129", "certainly
// not violet", "I refuse to reply with PING-…") holds the checked token and is
// still wrong (issue 27). Pure; answer-checks.test.ts holds the cases.

// Words that turn a statement around or decline it.
const NEGATION = /\b(not|never|no|none|nope|refuse[sd]?|cannot|can't|can not|won't|will not|unable|don't|do not|doesn't|isn't|aren't|wasn't|incorrect|wrong|sorry|instead)\b|n't\b/i;

export const negatesOrRefuses = (text: string): boolean => NEGATION.test(text);

// Every number written in the answer, in order ("1,234" is one number).
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0].replaceAll(",", "")));
}

// The answer states `value`: its last number is that value, any other number
// is one of `allowed` (the question's own operands: "45 + 27 = 72" is right),
// and nothing negates or refuses ("It is not 119; the sum is 129" is wrong).
export function statesNumber(text: string, value: number, allowed: readonly number[] = []): boolean {
  const numbers = numbersIn(text);
  return numbers.at(-1) === value && numbers.every((n) => n === value || allowed.includes(n)) && !negatesOrRefuses(text);
}

// The answer names `word` (one of `choices`), no other choice, and does not negate it.
export function namesOnly(text: string, word: string, choices: readonly string[]): boolean {
  const lower = text.toLowerCase();
  const has = (w: string) => new RegExp(`\\b${w.toLowerCase()}\\b`).test(lower);
  return has(word) && choices.every((c) => c === word || !has(c)) && !negatesOrRefuses(text);
}

// Words for codes: "FAILED" → "Failed".
export const titleCase = (code: string) => code.charAt(0) + code.slice(1).toLowerCase();

// Every value of an enum, for filters and pickers.
export const enumOptions = (values: Record<string, string>) => Object.values(values).map((value) => ({ value, label: titleCase(value) }));

/** How a cross-field check reports a problem: the field's path, what is wrong, and what it got. */
export type IssueFn = (path: (string | number)[], message: string, input?: unknown) => void;

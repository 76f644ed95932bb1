/** Exit codes of `vlp`: 0 ok, 1 runtime failure, 2 usage or config error, 130 interrupted. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

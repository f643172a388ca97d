// Types for cleanEnv.mjs, so TypeScript tests can import it.
export function cleanEnv(base?: NodeJS.ProcessEnv, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;

// The environment for every child that installs or runs a tool (npm, apt-get, code-server,
// Chromium, the demo): this process's environment minus what `npm run` / `npm test` added.
//
// Why (issue 7): `npm start` / `npm test` export npm_config_user_agent ("npm/… node/v20.…") and
// ~60 other npm_* variables to their scripts. A nested `npm install -g code-server` inherited
// them, so code-server's postinstall read "node/v20" from the OUTER npm's user agent and refused
// to install, although Node 24 was first on PATH. Running the same script with plain `node` worked,
// which is why it went unnoticed. The nested npm computes its own npm_* values when it needs them.
//
// Removed: every npm_* variable (any case); the PATH entries `npm run` prepends (each
// node_modules/.bin up to /, and npm's node-gyp-bin shim); and, when we run under an npm script,
// the other variables npm sets for it (INIT_CWD, NODE, COLOR).

/** Variables npm run sets besides npm_*; dropped only when an npm script started us. */
const NPM_SCRIPT_VARS = ['INIT_CWD', 'NODE', 'COLOR'];

/** PATH entries added by `npm run` (@npmcli/run-script): node_modules/.bin dirs and node-gyp-bin. */
/** @param {string} dir */
function isNpmPathEntry(dir) {
  return (
    /(^|\/)node_modules\/\.bin\/?$/.test(dir) || /\/@npmcli\/run-script\/lib\/node-gyp-bin\/?$/.test(dir)
  );
}

/**
 * A copy of `base` without inherited npm_* variables, with `extra` applied last (so a caller can
 * set, say, npm_config_nodedir on purpose). Never mutates `base`.
 * @param {NodeJS.ProcessEnv} [base]
 * @param {NodeJS.ProcessEnv} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
export function cleanEnv(base = process.env, extra = {}) {
  const underNpmScript = base.npm_lifecycle_event !== undefined || base.npm_command !== undefined;
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    if (/^npm_/i.test(key)) continue;
    if (underNpmScript && NPM_SCRIPT_VARS.includes(key)) continue;
    env[key] = value;
  }
  if (env.PATH !== undefined) {
    env.PATH = env.PATH.split(':')
      .filter((dir) => dir !== '' && !isNpmPathEntry(dir))
      .join(':');
  }
  return { ...env, ...extra };
}

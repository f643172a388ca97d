// cleanEnv: what children of `npm start` / `npm test` inherit (issue 7: a nested npm install read
// the outer npm's user agent, "node/v20", and code-server's postinstall refused to run).
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as CleanEnvModule from '../../../scripts/realhost/cleanEnv.mjs' with {
  'resolution-mode': 'import',
};

// A dynamic import: this file is CommonJS to TypeScript, the script an ES module.
let cleanEnv: typeof CleanEnvModule.cleanEnv;
beforeAll(async () => {
  ({ cleanEnv } = await import('../../../scripts/realhost/cleanEnv.mjs'));
});

const UNDER_NPM = {
  HOME: '/home/u',
  PATH: '/repo/node_modules/.bin:/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/local/bin:/usr/bin',
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_lifecycle_event: 'test',
  npm_config_nodedir: '/usr',
  NPM_CONFIG_PREFIX: '/usr',
  npm_node_execpath: '/usr/bin/node',
  INIT_CWD: '/repo',
  NODE: '/usr/bin/node',
  COLOR: '0',
  LANG: 'C.UTF-8',
};

describe('cleanEnv', () => {
  it('drops every npm_* variable, what npm sets for a script, and the PATH entries it prepends', () => {
    expect(cleanEnv(UNDER_NPM)).toEqual({
      HOME: '/home/u',
      PATH: '/usr/local/bin:/usr/bin',
      LANG: 'C.UTF-8',
    });
  });

  it('outside an npm script keeps NODE, INIT_CWD and COLOR (they are the user’s own then)', () => {
    expect(cleanEnv({ NODE: '/opt/node', INIT_CWD: '/x', COLOR: '1', PATH: '/usr/bin' })).toEqual({
      NODE: '/opt/node',
      INIT_CWD: '/x',
      COLOR: '1',
      PATH: '/usr/bin',
    });
  });

  it('applies extra last (a variable set on purpose) and never mutates its input', () => {
    const base = { ...UNDER_NPM };
    const env = cleanEnv(base, { npm_config_nodedir: '/cache/node24', PATH: '/n24/bin:/usr/bin' });
    expect(env.npm_config_nodedir).toBe('/cache/node24');
    expect(env.PATH).toBe('/n24/bin:/usr/bin');
    expect(base).toEqual(UNDER_NPM);
  });

  it('a nested npm started with it reports the Node it runs on, not the outer npm’s user agent', () => {
    const r = spawnSync('npm', ['config', 'get', 'user-agent'], {
      encoding: 'utf8',
      env: cleanEnv({
        ...process.env,
        npm_config_user_agent: 'npm/0 node/v1.2.3 outer',
        npm_lifecycle_event: 'test',
      }),
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('v1.2.3');
  });
});

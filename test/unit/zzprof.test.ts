import { it } from 'vitest';
import { createMatcher } from '../../src/watchdog/match';
import { splitFlattenedArgv, resolveCommand } from '../../src/watchdog/argv';
import { displayCommand, shortCommand } from '../../src/watchdog/format';
import { sanitize } from '../../src/watchdog/sanitize';
const matcher = createMatcher(['pytest', 'python', 'coverage', 'py.test']);
const t = (name: string, f: () => unknown) => { let best = 1e9; for (let i = 0; i < 7; i++) { const s = performance.now(); for (let k = 0; k < 10; k++) f(); best = Math.min(best, performance.now() - s); } return `${name}=${(best/10).toFixed(3)}`; };
it('prof', () => {
  for (const n of [32768, 65536, 131072, 262144]) {
    const s = ('python3' + '('.repeat(n)).slice(0, n);
    const argv = [s];
    console.log('ZZ', n, t('match', () => matcher.match(argv)), t('split', () => splitFlattenedArgv(argv)),
      t('short', () => shortCommand(argv)), t('display', () => displayCommand(argv)), t('san', () => sanitize(s, {maxChars: 300, elide: 'middle'})), t('join', () => [s].join(' ')));
  }
});

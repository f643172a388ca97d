// Types for debian.mjs, so TypeScript tests can import it.
export const DEBIAN_PACKAGES: readonly string[];
export const BROWSER_PACKAGES: readonly string[];
export const CODE_SERVER_PACKAGES: readonly string[];
export function aptInstallCommand(names: readonly string[]): string;
export function sudoMessage(missing: readonly string[]): string;
export function ensureDebianPackages(
  names: readonly string[],
  log?: (line: string) => void,
  deps?: {
    installed?: (name: string) => boolean;
    isRoot?: () => boolean;
    apt?: (args: string[], log: (line: string) => void) => Promise<void>;
  },
): Promise<void>;

// Pure parser for /proc/<pid>/cgroup: which container, if any, a process runs in.

// A path segment naming a container by its 64-hex id, as the runtimes spell it:
//   docker (v1)             /docker/<id>
//   docker (v2, systemd)    /system.slice/docker-<id>.scope
//   containerd / k8s        /kubepods/.../<id>, cri-containerd-<id>.scope
//   cri-o                   crio-<id>.scope
//   podman                  libpod-<id>.scope, /libpod_parent/libpod-<id>
// `libpod-conmon-<id>` is podman's monitor process, not the container, and is not matched.
const SEGMENT = /^(?:docker-|cri-containerd-|crio-|libpod-|containerd-)?([0-9a-f]{64})(?:\.scope)?$/;

/**
 * Returns the container id from cgroup v1 (`N:controllers:path`) or v2 (`0::path`) lines, or
 * null when the process is not in a container (or the path is hidden by a cgroup namespace,
 * where it reads `0::/`). Never throws.
 */
export function parseCgroup(text: string): string | null {
  for (const line of text.split('\n')) {
    // hierarchy-ID:controller-list:cgroup-path; the path may itself contain colons.
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) continue;
    const segments = line.slice(second + 1).split('/');
    for (let i = segments.length - 1; i >= 0; i--) {
      const match = SEGMENT.exec(segments[i]!);
      if (match) return match[1]!;
    }
  }
  return null;
}

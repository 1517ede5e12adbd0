"""Fallback for `/usr/bin/time -f '%e %M' -o FILE CMD...` when /usr/bin/time is absent.

Runs CMD, then writes "<wall s> <peak RSS of the largest child, KiB> <user s> <sys s>"
to FILE (RUSAGE_CHILDREN; Linux reports ru_maxrss in KiB) and exits with CMD's status.
"""
import resource
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[1] != "-o":
        print("usage: timeit.py -o FILE CMD...", file=sys.stderr)
        return 2
    out, cmd = sys.argv[2], sys.argv[3:]
    t = time.perf_counter()
    rc = subprocess.call(cmd)
    wall = time.perf_counter() - t
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as f:
        f.write(f"{wall:.2f} {ru.ru_maxrss} {ru.ru_utime:.2f} {ru.ru_stime:.2f}\n")
    return rc


if __name__ == "__main__":
    sys.exit(main())

"""Wall and CPU time of a command and every process it starts, for a job that
spreads over several processes (Spark: the driver's Python, the JVM, the
Python workers the JVM forks).

    python3 bench/proctree.py -o FILE CMD...

`/usr/bin/time` counts a child's CPU only once the child is waited for; the
JVM and its Python workers may outlive (or not be waited by) the process
`time` runs. Here CMD runs in a session of its own, and every 0.5 s the CPU
seconds of the session's live processes are summed from /proc (user + system
of each, plus what each has collected from its children that ended:
`utime + stime + cutime + cstime`); the largest sum seen is the job's CPU time
(a process that ends unwaited in the last half second is missed). Writes one
JSON object to FILE: wall seconds, CPU seconds (that sum, and the direct
child's `getrusage` for comparison), the peak of the summed resident memory,
and the 1-minute load average before and after.
"""

import json
import os
import resource
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def session_cpu(sid: int) -> tuple:
    """(CPU seconds, resident bytes) summed over the live processes of
    session `sid`."""
    cpu = 0
    rss = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces: fields start after its ')'.
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is field 3 (state): session is field 6, utime..cstime 14..17, rss 24.
        if int(fields[3]) != sid:
            continue
        cpu += sum(int(x) for x in fields[11:15])
        rss += int(fields[21]) * PAGE
    return cpu / TICK, rss


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[1] != "-o":
        print(__doc__, file=sys.stderr)
        return 2
    out, cmd = sys.argv[2], sys.argv[3:]
    load_before = os.getloadavg()
    t = time.perf_counter()
    p = subprocess.Popen(cmd, start_new_session=True)
    best_cpu, best_rss = 0.0, 0
    while p.poll() is None:
        c, r = session_cpu(p.pid)
        best_cpu, best_rss = max(best_cpu, c), max(best_rss, r)
        time.sleep(0.5)
    wall = time.perf_counter() - t
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = {
        "command": cmd,
        "exit": p.returncode,
        "wall_s": round(wall, 2),
        "cpu_s": round(max(best_cpu, ru.ru_utime + ru.ru_stime), 2),
        "cpu_s_process_tree_sampled": round(best_cpu, 2),
        "cpu_s_rusage_children": round(ru.ru_utime + ru.ru_stime, 2),
        "peak_rss_sum_mb": round(best_rss / 2**20),
        "load1_before": round(load_before[0], 2),
        "load1_after": round(os.getloadavg()[0], 2),
    }
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())

"""Shuffle and memory figures of a Spark run from its event log (the Spark UI's
numbers without the UI):

    PYSPARK_SUBMIT_ARGS="--conf spark.eventLog.enabled=true \
      --conf spark.eventLog.dir=file:///tmp/ev pyspark-shell" \
      python -m scour_text.spark run ... --master 'local[2]'
    python3 bench/spark_eventlog.py /tmp/ev/eventlog_v2_local-*/events_1_*

Sums every task's shuffle write and read bytes and records, input and output
bytes, and spills; reports the largest peak execution memory of a task and
the executors' peak JVM heap and Python worker memory (from the stage
executor metrics Spark logs by default); counts jobs, stages and tasks.
"""

import io
import json
import subprocess
import sys


def lines(path: str):
    """The event log's lines; Spark 4 writes it zstd-compressed by default
    (`*.zstd`), read through the `zstd` command."""
    if path.endswith(".zstd") or path.endswith(".zst"):
        out = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
        return io.StringIO(out.decode("utf-8"))
    return open(path, encoding="utf-8")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    tot = {
        "shuffle_write_bytes": 0,
        "shuffle_write_records": 0,
        "shuffle_read_bytes": 0,
        "shuffle_read_records": 0,
        "input_bytes": 0,
        "output_bytes": 0,
        "memory_spill_bytes": 0,
        "disk_spill_bytes": 0,
    }
    peak_task_exec_mem = 0
    peaks = {}
    jobs = stages = tasks = 0
    with lines(sys.argv[1]) as f:
        for line in f:
            e = json.loads(line)
            ev = e.get("Event")
            if ev == "SparkListenerJobStart":
                jobs += 1
            elif ev == "SparkListenerStageCompleted":
                stages += 1
            elif ev == "SparkListenerTaskEnd":
                tasks += 1
                m = e.get("Task Metrics") or {}
                sw = m.get("Shuffle Write Metrics") or {}
                sr = m.get("Shuffle Read Metrics") or {}
                tot["shuffle_write_bytes"] += sw.get("Shuffle Bytes Written", 0)
                tot["shuffle_write_records"] += sw.get("Shuffle Records Written", 0)
                tot["shuffle_read_bytes"] += sr.get("Remote Bytes Read", 0) + sr.get("Local Bytes Read", 0)
                tot["shuffle_read_records"] += sr.get("Total Records Read", 0)
                tot["input_bytes"] += (m.get("Input Metrics") or {}).get("Bytes Read", 0)
                tot["output_bytes"] += (m.get("Output Metrics") or {}).get("Bytes Written", 0)
                tot["memory_spill_bytes"] += m.get("Memory Bytes Spilled", 0)
                tot["disk_spill_bytes"] += m.get("Disk Bytes Spilled", 0)
                peak_task_exec_mem = max(peak_task_exec_mem, m.get("Peak Execution Memory", 0))
            if ev in ("SparkListenerStageExecutorMetrics", "SparkListenerExecutorMetricsUpdate"):
                em = e.get("Executor Metrics") or {}
                for k in ("JVMHeapMemory", "JVMOffHeapMemory", "ProcessTreePythonRSSMemory",
                          "ProcessTreeJVMRSSMemory", "OnHeapExecutionMemory"):
                    if k in em:
                        peaks[k] = max(peaks.get(k, 0), em[k])
            if ev == "SparkListenerTaskEnd":
                em = e.get("Task Executor Metrics") or {}
                for k in ("JVMHeapMemory", "ProcessTreePythonRSSMemory", "ProcessTreeJVMRSSMemory"):
                    if k in em:
                        peaks[k] = max(peaks.get(k, 0), em[k])
    out = dict(tot)
    out["peak_task_execution_memory"] = peak_task_exec_mem
    out["executor_peaks"] = peaks
    out.update({"jobs": jobs, "stages": stages, "tasks": tasks})
    json.dump(out, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

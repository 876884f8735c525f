#!/usr/bin/env python3
"""Run a command; print its wall time, CPU seconds (user + sys of it and its children) and
the peak RSS of its whole process tree (parent and worker processes, summed), sampled
every 20 ms from /proc.   scripts/rss_tree.py CMD ARGS…"""
import os, resource, subprocess, sys, time

def tree(root):
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = open(f"/proc/{d}/stat").read()
                kids.setdefault(int(st[st.rindex(")") + 2:].split()[1]), []).append(int(d))
            except OSError:
                pass
    out, todo = [], [root]
    while todo:
        x = todo.pop()
        out.append(x)
        todo += kids.get(x, [])
    return out

t0 = time.time()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    total = 0
    for pid in tree(p.pid):
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    peak = max(peak, total)
    time.sleep(0.02)
wall = time.time() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"wall {wall:.2f} s  cpu {ru.ru_utime + ru.ru_stime:.2f} s  peak_rss_tree {peak / 1024:.0f} MiB  exit {p.returncode}")

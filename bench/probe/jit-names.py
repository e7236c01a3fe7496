#!/usr/bin/env python3
# Self instructions per function, B minus A, divided by N (the operations each file counted), with V8's JIT
# code named: callgrind names code it has no symbols for by address (`???:0x…`); node's --perf-basic-prof
# map (kept beside each file by idle-instructions.mjs --keep DIR --names) gives the function there.
#   python3 bench/probe/jit-names.py A.out B.out N [LINES]   (A.map and B.map beside them)
import bisect, re, subprocess, sys

def perf_map(path):
    entries = []
    try:
        for line in open(path):
            start, size, name = line.rstrip('\n').split(' ', 2)
            entries.append((int(start, 16), int(size, 16), name))
    except FileNotFoundError:
        pass
    entries.sort()
    return entries

def name_of(entries, starts, address):
    at = bisect.bisect_right(starts, address) - 1
    if at >= 0:
        start, size, name = entries[at]
        if address < start + size:
            return name
    return None

def self_costs(out):
    entries = perf_map(re.sub(r'\.out$', '.map', out))
    starts = [e[0] for e in entries]
    text = subprocess.run(['callgrind_annotate', '--threshold=100', out], capture_output=True, text=True).stdout
    costs = {}
    for line in text.splitlines():
        m = re.match(r'^\s*([\d,]+)\s+(?:\([ \d.]+%\)\s+)?(.*)$', line)
        if not m:
            continue
        count = int(m.group(1).replace(',', ''))
        name = m.group(2).strip()
        jit = re.match(r'^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$', name)
        if jit:
            name = 'JIT ' + (name_of(entries, starts, int(jit.group(1), 16)) or 'unnamed')
        elif name.startswith('PROGRAM TOTALS'):
            name = 'TOTAL'
        elif ' [' in name:
            name = name.split(':', 1)[-1].rsplit(' [', 1)[0]
        costs[name] = costs.get(name, 0) + count
    return costs

a, b = self_costs(sys.argv[1]), self_costs(sys.argv[2])
n = float(sys.argv[3])
lines = int(sys.argv[4]) if len(sys.argv) > 4 else 40
print(f"total per operation: {a.get('TOTAL', 0) / n:.0f} -> {b.get('TOTAL', 0) / n:.0f}")
skip = {'TOTAL', 'main', '(below main)', 'node::Start(int, char**)', 'node::SpinEventLoopInternal(node::Environment*)',
        'node::NodeMainInstance::Run()', '__libc_start_main@@GLIBC_2.34', '0x000000000001ab70'}
diff = sorted(((b.get(k, 0) - a.get(k, 0)) / n, k) for k in set(a) | set(b) if k not in skip)
print('-- added (self, per operation)')
for d, k in diff[::-1][:lines]:
    print(f'{d:9.1f}  {k[:150]}')
print('-- removed')
for d, k in diff[: lines // 3]:
    print(f'{d:9.1f}  {k[:150]}')

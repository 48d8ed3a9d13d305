#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# testbed/uprobe-needs-admin.py - does this kernel let CAP_PERFMON open a
# uprobe perf event, or only CAP_SYS_ADMIN (the 2025 fix "perf: require
# CAP_SYS_ADMIN for uprobes", in stable kernels too)?  Run it under capsh
# with CAP_PERFMON and without CAP_SYS_ADMIN; prints "perfmon" or "admin".
# The testbed decides from this, independently of upcall_cost, which
# capabilities its least-privilege test grants.
import ctypes
import os
import struct
import sys

NR_PERF_EVENT_OPEN = 298  # x86_64
ATTR_SIZE = 128           # PERF_ATTR_SIZE_VER7

libc = ctypes.CDLL(None, use_errno=True)
pmu = int(open('/sys/bus/event_source/devices/uprobe/type').read())
path = ctypes.create_string_buffer(b'/bin/true')
attr = bytearray(ATTR_SIZE)
struct.pack_into('II', attr, 0, pmu, ATTR_SIZE)                 # type, size
struct.pack_into('QQ', attr, 56, ctypes.addressof(path), 0x1000)  # uprobe_path, probe_offset
buf = (ctypes.c_char * ATTR_SIZE).from_buffer(attr)
# this process, any CPU: /bin/true is not mapped here, nothing gets patched
fd = libc.syscall(NR_PERF_EVENT_OPEN, buf, os.getpid(), -1, -1, 0)
err = ctypes.get_errno()
if fd >= 0:
    os.close(fd)
    print('perfmon')
elif err in (1, 13):      # EPERM, EACCES
    print('admin')
else:
    print('unknown errno %d' % err)
    sys.exit(1)

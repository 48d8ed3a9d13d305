#!/bin/busybox sh
# SPDX-License-Identifier: BSD-2-Clause
# /init of the testbed initramfs (busybox-static + modules, built by setup.sh).
#
# Loads virtio/9p/openvswitch/veth/geneve/vxlan, mounts the host's root file system
# read-only over 9p ("hostroot") and the run's results directory writable
# ("results", when given), then switches root to the host's root and runs
# testbed/guest.sh. The kernel command line passes (as environment):
#   tb_root=DIR      the repository root (same path on host and guest)
#   tb_results=DIR   the results directory (host path; mounted at that path)
#   tb_env=FILE      the kernel x OVS pair's build/testbed/env-K-O
#   tb_mode=MODE     scenario | shell | cmd
#   tb_scenarios=A,B the scenarios to run, in order
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mkdir -p /sbin; ln -sf /bin/modprobe /sbin/modprobe
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo "TB-INIT: kernel $(uname -r)"
for m in virtio_pci 9pnet_virtio 9p crc32c_generic openvswitch veth geneve vxlan; do
    modprobe "$m" 2>/dev/null || grep -q "/$m.ko" /lib/modules/*/modules.builtin ||
        echo "TB-INIT: modprobe $m failed"
done
R=/mnt/root
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288,cache=loose hostroot $R; then
    echo "TB-INIT: 9p mount of the host root failed"
    poweroff -f
fi
mount -t proc proc $R/proc; mount -t sysfs sys $R/sys; mount -t devtmpfs dev $R/dev
# OVS and glibc's tmpfile() need a writable /run and /tmp: tmpfs over them.
# A repository that lives under /tmp (or /run) on the host stays visible:
# its top directory is bound back from a second view of the host's root.
mkdir -p /mnt/hostview; mount --bind $R /mnt/hostview
mount -t tmpfs tmp $R/run; mount -t tmpfs tmp $R/tmp
for d in /tmp /run; do
    case "$tb_root/" in
    $d/*)
        top=${tb_root#$d/}; top=${top%%/*}
        mkdir -p "$R$d/$top"; mount --bind "/mnt/hostview$d/$top" "$R$d/$top" ;;
    esac
done
mount -t tracefs t $R/sys/kernel/tracing; mount -t debugfs d $R/sys/kernel/debug
mount -t bpf bpf $R/sys/fs/bpf
mkdir -p $R/dev/pts $R/dev/shm; mount -t devpts pts $R/dev/pts; mount -t tmpfs shm $R/dev/shm
if [ -n "$tb_results" ]; then
    mount -t 9p -o trans=virtio,version=9p2000.L,rw,msize=524288 results "$R$tb_results" ||
        echo "TB-INIT: 9p mount of the results share failed"
fi
ip link set lo up
export HOME=/root TERM=${TERM:-linux}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
echo 1 > /proc/sys/kernel/sysrq
# The host's root becomes the root of the guest's mount namespace (not a
# chroot inside the initramfs), as on a booted machine: a container there
# can pivot_root, and its files are then named as on any host.
exec switch_root $R /bin/bash -c '
    bash "$tb_root/testbed/guest.sh" 2>&1
    echo "TB-INIT: guest.sh exited with $?"
    sync
    [ -n "$tb_results" ] && umount "$tb_results" 2>/dev/null
    echo "GUEST-DONE"
    echo o > /proc/sysrq-trigger
    sleep 60'

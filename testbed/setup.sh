#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/setup.sh - prepare the OVS testbed (idempotent; slow steps cached).
#
#   sh testbed/setup.sh            everything below, skipping what is cached
#   sh testbed/setup.sh --force    rebuild OVS, kernel tree and initramfs
#
# Stages (each prints the time it took):
#   packages   Debian packages the testbed needs (apt-get, only if missing)
#   kernel     Debian's linux-image-6.1.0-*-amd64 (apt-get download +
#              dpkg-deb -x) -> build/testbed/kernel
#   ovs        OVS 3.1 from openvswitch-source, --enable-usdt-probes
#              -> build/testbed/ovs/openvswitch
#   traffic    testbed/traffic.c -> build/testbed/traffic
#   initramfs  busybox-static + the module closure of openvswitch, veth, 9p,
#              virtio_pci + depmod -b index -> build/testbed/initrd.gz
#
# Everything lands under build/testbed/ (git-ignored); testbed/env.sh
# (sourced by run.sh, shell.sh, e2e.sh) reads the paths back.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
mkdir -p "$TB"

now() { date +%s.%N; }
stage_start() { STAGE=$1; T0=$(now); echo "== setup: $STAGE"; }
stage_end() {
    t=$(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    echo "== setup: $STAGE done in ${t}s${1:+ ($1)}"
    echo "$STAGE $t" >> "$TB/setup-times.txt"
}
: > "$TB/setup-times.txt"

# ------------------------------------------------------------------ packages
stage_start packages
# package:file-that-proves-it-is-installed
NEED="qemu-system-x86:/usr/bin/qemu-system-x86_64
busybox-static:/bin/busybox
openvswitch-source:/usr/src/openvswitch/openvswitch.tar.gz
systemtap-sdt-dev:/usr/include/x86_64-linux-gnu/sys/sdt.h
bpftrace:/usr/bin/bpftrace
iproute2:/usr/sbin/ip
kmod:/usr/bin/kmod
cpio:/usr/bin/cpio
gzip:/usr/bin/gzip
gcc:/usr/bin/gcc
make:/usr/bin/make
python3:/usr/bin/python3
libssl-dev:/usr/include/openssl/ssl.h
binutils:/usr/bin/readelf
util-linux:/usr/bin/setsid
procps:/usr/bin/pkill"
missing=""
for pf in $NEED; do
    p=${pf%%:*}; f=${pf#*:}
    if [ ! -e "$f" ] && ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends $missing; then
        apt-get update
        apt-get install -y --no-install-recommends $missing
    fi
else
    echo "all packages present"
fi
stage_end

# ------------------------------------------------------------------ kernel
stage_start kernel
KDIR=$TB/kernel
if [ $FORCE = 1 ] || [ ! -f "$KDIR/.done" ]; then
    KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
           sed -n 's/^ *Depends: \(linux-image-6\.[0-9.]*-[0-9]*-amd64\)$/\1/p' | head -n1)
    if [ -z "$KPKG" ]; then
        apt-get update
        KPKG=$(apt-cache depends linux-image-amd64 |
               sed -n 's/^ *Depends: \(linux-image-6\.[0-9.]*-[0-9]*-amd64\)$/\1/p' | head -n1)
    fi
    [ -n "$KPKG" ] || { echo "setup: cannot find Debian's linux-image-6.1 package"; exit 1; }
    mkdir -p "$TB/dl"
    rm -f "$TB"/dl/linux-image-*.deb
    (cd "$TB/dl" && apt-get download "$KPKG" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    DEB=$(ls "$TB"/dl/"$KPKG"_*.deb 2>/dev/null | head -n1)
    [ -n "$DEB" ] || { echo "setup: apt-get download $KPKG failed"; exit 1; }
    rm -rf "$KDIR"; mkdir -p "$KDIR"
    dpkg-deb -x "$DEB" "$KDIR"
    KVER=$(ls "$KDIR/lib/modules" | head -n1)
    depmod -b "$KDIR" "$KVER"
    echo "$KVER" > "$KDIR/.done"
    rm -f "$DEB"
fi
KVER=$(cat "$KDIR/.done")
stage_end "kernel $KVER"

# ------------------------------------------------------------------ ovs
stage_start ovs
OVSDIR=$TB/ovs/openvswitch
usdt_ok() {
    n=$(readelf -n "$OVSDIR/vswitchd/ovs-vswitchd" 2>/dev/null |
        grep -c -E 'Name: (recv_upcall|op_flow_put|op_flow_execute)$' || true)
    [ "$n" -ge 3 ]
}
if [ $FORCE = 1 ] || [ ! -f "$OVSDIR/.done" ] || ! usdt_ok; then
    rm -rf "$TB/ovs"; mkdir -p "$TB/ovs"
    tar -xzf /usr/src/openvswitch/openvswitch.tar.gz -C "$TB/ovs"
    (
        cd "$OVSDIR"
        T1=$(now)
        ./configure --enable-usdt-probes > "$TB/ovs/configure.log" 2>&1 ||
            { tail -30 "$TB/ovs/configure.log"; exit 1; }
        grep -q 'checking whether USDT probes are enabled... yes' "$TB/ovs/configure.log" ||
            { echo "setup: configure did not enable USDT probes"; exit 1; }
        echo "   configure: $(awk -v a="$T1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')s"
        T1=$(now)
        make -j"$(nproc)" > "$TB/ovs/make.log" 2>&1 ||
            { tail -30 "$TB/ovs/make.log"; exit 1; }
        echo "   make: $(awk -v a="$T1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')s"
    )
    usdt_ok || { echo "setup: ovs-vswitchd lacks the USDT probes"; exit 1; }
    touch "$OVSDIR/.done"
fi
readelf -n "$OVSDIR/vswitchd/ovs-vswitchd" | grep -A1 -E 'Provider: (dpif_recv|dpif_netlink_operate__)$' |
    awk '/Provider:/ { p = $2 } /Name:/ { printf "   usdt %s:%s\n", p, $2 }' | sort -u
stage_end "$("$OVSDIR/vswitchd/ovs-vswitchd" --version | head -n1)"

# ------------------------------------------------------------------ traffic
stage_start traffic
if [ $FORCE = 1 ] || [ ! -x "$TB/traffic" ] || [ "$HERE/traffic.c" -nt "$TB/traffic" ]; then
    ${CC:-cc} -O2 -g -std=gnu11 -Wall -Wextra -Werror -o "$TB/traffic" "$HERE/traffic.c"
fi
stage_end

# ------------------------------------------------------------------ initramfs
stage_start initramfs
INITRD=$TB/initrd.gz
MODS="virtio_pci 9pnet_virtio 9p crc32c_generic openvswitch veth"
rebuild=$FORCE
[ -f "$INITRD" ] || rebuild=1
[ "$HERE/init.sh" -nt "$INITRD" ] && rebuild=1
[ "$KDIR/.done" -nt "$INITRD" ] && rebuild=1
if [ $rebuild = 1 ]; then
    S=$TB/initramfs
    rm -rf "$S"
    mkdir -p "$S/bin" "$S/sbin" "$S/proc" "$S/sys" "$S/dev" "$S/mnt/root" "$S/lib/modules/$KVER"
    cp /bin/busybox "$S/bin/busybox"
    cp "$HERE/init.sh" "$S/init"; chmod 755 "$S/init"
    # The module closure, as modprobe resolves it on the extracted tree.
    for m in $MODS; do
        modprobe -d "$KDIR" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
    done | sort -u | while read -r ko; do
        rel=${ko#"$KDIR"/}
        mkdir -p "$S/$(dirname "$rel")"
        cp "$ko" "$S/$rel"
    done
    cp "$KDIR/lib/modules/$KVER/modules.builtin" "$KDIR/lib/modules/$KVER/modules.order" \
       "$S/lib/modules/$KVER/" 2>/dev/null || true
    [ -f "$KDIR/lib/modules/$KVER/modules.builtin.modinfo" ] &&
        cp "$KDIR/lib/modules/$KVER/modules.builtin.modinfo" "$S/lib/modules/$KVER/"
    depmod -b "$S" "$KVER"
    (cd "$S" && find . | cpio -o -H newc --quiet | gzip -1 > "$INITRD.tmp")
    mv "$INITRD.tmp" "$INITRD"
    echo "   $(find "$S" -name '*.ko' | wc -l) modules, $(du -k "$INITRD" | cut -f1) KiB"
fi
stage_end

{
    echo "KVER=$KVER"
    echo "KERNEL=$KDIR/boot/vmlinuz-$KVER"
    echo "INITRD=$INITRD"
    echo "OVS=$OVSDIR"
    echo "TRAFFIC=$TB/traffic"
} > "$TB/env"
echo "== setup: ready ($(awk '{ s += $2 } END { printf "%.1f", s }' "$TB/setup-times.txt")s total)"

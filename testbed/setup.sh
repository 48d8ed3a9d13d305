#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/setup.sh [KERNEL [OVS]] [--force] - prepare the OVS testbed for one
# kernel x OVS pair (idempotent; every slow step is cached and shared by the
# pairs that use it).
#
#   KERNEL   6.1 (default; Debian 12 bookworm), 5.10 (Debian 11 bullseye),
#            6.12 (Debian 13 trixie)
#   OVS      3.1 (default; bookworm's openvswitch-source), 3.5 (trixie's)
#
#   sh testbed/setup.sh                 6.1 + OVS 3.1, as make e2e uses
#   sh testbed/setup.sh 5.10 3.5        another pair
#   sh testbed/setup.sh 6.12 3.1 --force   rebuild that pair's parts
#
# Stages (each prints the time it took):
#   packages   Debian packages the testbed needs (apt-get, only if missing)
#   apt        bullseye/trixie package lists, in an apt configuration of the
#              testbed's own (build/testbed/apt/SUITE; the machine's apt
#              configuration is never changed)
#   kernel     linux-image-*-amd64 of the suite (apt-get download + dpkg-deb
#              -x) -> build/testbed/kernel-KERNEL; for a kernel without
#              module BTF (5.10) also the openvswitch module's BTF, made
#              from the -dbg package with the command the README documents
#              (pahole --btf_encode_detached) -> kernel-KERNEL/openvswitch.btf
#   ovs        OVS from openvswitch-source, --enable-usdt-probes, twice: as
#              Debian links it (static libopenvswitch, build tree) and with
#              --enable-shared (installed under ovs-OVS-shared/inst), for
#              the shared-library scenario -> build/testbed/ovs-OVS[-shared]
#   traffic    testbed/traffic.c -> build/testbed/traffic, and the causes
#              --explain's scenarios inject: testbed/disturb.c -> build/testbed/disturb
#   initramfs  busybox-static + the module closure of openvswitch, veth,
#              geneve, vxlan, 9p, virtio_pci (decompressed where the kernel
#              ships .ko.xz) + depmod -b index -> build/testbed/initrd-KERNEL.gz
#
# Everything lands under build/testbed/ (git-ignored); build/testbed/env-
# KERNEL-OVS (sourced by run.sh, shell.sh and the guest) names the pair's
# parts.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed
FORCE=0
K=6.1 O=3.1 n=0
for a in "$@"; do
    case $a in
    --force) FORCE=1 ;;
    *) n=$((n + 1)); if [ $n = 1 ]; then K=$a; else O=$a; fi ;;
    esac
done
case $K in 5.10) SUITE=bullseye ;; 6.1) SUITE=bookworm ;; 6.12) SUITE=trixie ;;
*) echo "setup: unknown kernel '$K' (5.10, 6.1 or 6.12)" >&2; exit 2 ;; esac
case $O in 3.1) OSUITE=bookworm ;; 3.5) OSUITE=trixie ;;
*) echo "setup: unknown OVS '$O' (3.1 or 3.5)" >&2; exit 2 ;; esac
mkdir -p "$TB"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
TIMES=$TB/setup-times-$K-$O.txt
stage_start() { STAGE=$1; T0=$(now); echo "== setup $K/$O: $STAGE"; }
stage_end() {
    t=$(secs "$T0")
    echo "== setup $K/$O: $STAGE done in ${t}s${1:+ ($1)}"
    echo "$STAGE $t" >> "$TIMES"
}
: > "$TIMES"

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
xz-utils:/usr/bin/xz
gcc:/usr/bin/gcc
make:/usr/bin/make
python3:/usr/bin/python3
libssl-dev:/usr/include/openssl/ssl.h
binutils:/usr/bin/readelf
util-linux:/usr/bin/setsid
procps:/usr/bin/pkill
libcap2-bin:/usr/sbin/capsh
dwarves:/usr/bin/pahole"
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

# ------------------------------------------------------------------ apt
# APT SUITE ARGS...: apt-get/apt-cache with the suite's own configuration
# (bookworm: the machine's).
apt_opts() {
    [ "$1" = bookworm ] && return 0
    d=$TB/apt/$1
    echo "-o Dir::Etc::sourcelist=$d/sources.list -o Dir::Etc::sourceparts=/dev/null" \
         "-o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache"
}
suite_ready() {   # SUITE: package lists of the suite, fetched once a day
    [ "$1" = bookworm ] && return 0
    d=$TB/apt/$1
    if [ ! -f "$d/.done" ] || [ -n "$(find "$d/.done" -mmin +1440)" ]; then
        mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
             "http://deb.debian.org/debian $1 main" > "$d/sources.list"
        # shellcheck disable=SC2046
        apt-get $(apt_opts "$1") -q update > "$d/update.log" 2>&1 ||
            { tail -5 "$d/update.log"; echo "setup: apt-get update ($1) failed"; exit 1; }
        touch "$d/.done"
    fi
}
# download SUITE PACKAGE DIR: apt-get download into DIR, prints the .deb
download() {
    mkdir -p "$3"
    rm -f "$3/$2"_*.deb
    # shellcheck disable=SC2046
    (cd "$3" && apt-get $(apt_opts "$1") download "$2" 2>&1 |
        grep -v '^W: Download is performed unsandboxed' >&2 || true)
    ls "$3/$2"_*.deb 2>/dev/null | head -n1
}
stage_start apt
suite_ready "$SUITE"
suite_ready "$OSUITE"
stage_end

# ------------------------------------------------------------------ kernel
stage_start kernel
KDIR=$TB/kernel-$K
if [ $FORCE = 1 ] || [ ! -f "$KDIR/.done" ]; then
    # shellcheck disable=SC2046
    pick() { sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | grep "^linux-image-$K[.-]" | head -n1; }
    KPKG=$(apt-cache $(apt_opts "$SUITE") depends linux-image-amd64 2>/dev/null | pick)
    if [ -z "$KPKG" ] && [ "$SUITE" = bookworm ]; then
        apt-get update > /dev/null
        KPKG=$(apt-cache depends linux-image-amd64 | pick)
    fi
    [ -n "$KPKG" ] || { echo "setup: cannot find Debian's linux-image-$K package ($SUITE)"; exit 1; }
    DEB=$(download "$SUITE" "$KPKG" "$TB/dl")
    [ -n "$DEB" ] || { echo "setup: apt-get download $KPKG failed"; exit 1; }
    rm -rf "$KDIR"; mkdir -p "$KDIR"
    dpkg-deb -x "$DEB" "$KDIR"
    rm -f "$DEB"
    # trixie keeps modules under usr/lib (merged /usr)
    [ -d "$KDIR/lib/modules" ] || ln -s usr/lib "$KDIR/lib"
    KVER=$(ls "$KDIR/lib/modules" | head -n1)
    depmod -b "$KDIR" "$KVER"
    echo "$KPKG" > "$KDIR/package"
    echo "$KVER" > "$KDIR/.done"
fi
KVER=$(cat "$KDIR/.done")
KPKG=$(cat "$KDIR/package")
stage_end "kernel $KVER"

# The openvswitch module's BTF, where the kernel has none for its modules:
# from the debug package, with the command the README gives the user.
BTF=""
if ! modinfo -b "$KDIR" -k "$KVER" -F name openvswitch > /dev/null 2>&1; then
    echo "setup: $KPKG has no openvswitch module"; exit 1
fi
OVSKO=$(modinfo -b "$KDIR" -k "$KVER" -n openvswitch)
has_btf() {   # KO (maybe .xz): has a .BTF section
    case $1 in
    *.xz) xz -dc "$1" > "$TB/ko.tmp" && set -- "$TB/ko.tmp" ;;
    esac
    objdump -h "$1" 2>/dev/null | grep -q ' \.BTF '
}
if ! has_btf "$OVSKO"; then
    stage_start "module-btf"
    BTF=$KDIR/openvswitch.btf
    if [ $FORCE = 1 ] || [ ! -s "$BTF" ]; then
        DEB=$(download "$SUITE" "$KPKG-dbg" "$TB/dl")
        [ -n "$DEB" ] || { echo "setup: apt-get download $KPKG-dbg failed"; exit 1; }
        D=$TB/dbg-$K
        rm -rf "$D"; mkdir -p "$D"
        KO=usr/lib/debug/lib/modules/$KVER/kernel/net/openvswitch/openvswitch.ko
        dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$D" "./$KO"
        rm -f "$DEB"
        # The README's command (there: /$KO of the installed package).
        pahole --btf_encode_detached="$BTF.tmp" "$D/$KO"
        mv "$BTF.tmp" "$BTF"
        rm -rf "$D"
    fi
    stage_end "$(du -k "$BTF" | cut -f1) KiB"
fi
rm -f "$TB/ko.tmp"

# ------------------------------------------------------------------ ovs
usdt_ok() {   # ELF: has the three probes
    n=$(readelf -n "$1" 2>/dev/null |
        grep -c -E 'Name: (recv_upcall|op_flow_put|op_flow_execute)$' || true)
    [ "$n" -ge 3 ]
}
# ovs_source DIR: OVS $O's source tree into DIR (trixie's package is
# downloaded once and kept as build/testbed/src-ovs-$O)
ovs_source() {
    mkdir -p "$1"
    if [ "$OSUITE" = bookworm ]; then
        tar -xzf /usr/src/openvswitch/openvswitch.tar.gz -C "$1" --strip-components=1
        return
    fi
    SRC=$TB/src-ovs-$O
    if [ ! -f "$SRC/.done" ]; then
        DEB=$(download "$OSUITE" openvswitch-source "$TB/dl")
        [ -n "$DEB" ] || { echo "setup: apt-get download openvswitch-source ($OSUITE) failed"; exit 1; }
        rm -rf "$SRC" "$TB/ovs-src.tmp"; mkdir -p "$TB/ovs-src.tmp" "$SRC"
        dpkg-deb -x "$DEB" "$TB/ovs-src.tmp"
        if [ -f "$TB/ovs-src.tmp/usr/src/openvswitch/openvswitch.tar.gz" ]; then
            tar -xzf "$TB/ovs-src.tmp/usr/src/openvswitch/openvswitch.tar.gz" -C "$SRC" \
                --strip-components=1
        else
            cp -a "$TB/ovs-src.tmp/usr/src/openvswitch/." "$SRC/"
        fi
        rm -rf "$TB/ovs-src.tmp" "$DEB"
        touch "$SRC/.done"
    fi
    cp -a "$SRC/." "$1/"
    rm -f "$1/.done"
}
# ovs_build DIR LOG-PREFIX CONFIGURE-ARGS...: configure and make in DIR
ovs_build() {
    dir=$1 log=$2; shift 2
    (
        cd "$dir"
        [ -x configure ] || { ./boot.sh > "$log-boot.log" 2>&1 || { tail -20 "$log-boot.log"; exit 1; }; }
        T1=$(now)
        ./configure --enable-usdt-probes "$@" > "$log-configure.log" 2>&1 ||
            { tail -30 "$log-configure.log"; exit 1; }
        grep -q 'checking whether USDT probes are enabled... yes' "$log-configure.log" ||
            { echo "setup: configure did not enable USDT probes"; exit 1; }
        echo "   configure: $(secs "$T1")s"
        T1=$(now)
        make -j"$(nproc)" > "$log-make.log" 2>&1 || { tail -30 "$log-make.log"; exit 1; }
        echo "   make: $(secs "$T1")s"
    )
}

stage_start ovs
OVSDIR=$TB/ovs-$O
if [ $FORCE = 1 ] || [ ! -f "$OVSDIR/.done" ] || ! usdt_ok "$OVSDIR/vswitchd/ovs-vswitchd"; then
    rm -rf "$OVSDIR"
    ovs_source "$OVSDIR"
    ovs_build "$OVSDIR" "$TB/ovs-$O"
    usdt_ok "$OVSDIR/vswitchd/ovs-vswitchd" || { echo "setup: ovs-vswitchd lacks the USDT probes"; exit 1; }
    touch "$OVSDIR/.done"
fi
readelf -n "$OVSDIR/vswitchd/ovs-vswitchd" | grep -A1 -E 'Provider: (dpif_recv|dpif_netlink_operate__)$' |
    awk '/Provider:/ { p = $2 } /Name:/ { printf "   usdt %s:%s\n", p, $2 }' | sort -u
stage_end "$("$OVSDIR/vswitchd/ovs-vswitchd" --version | head -n1)"

stage_start ovs-shared
SHDIR=$TB/ovs-$O-shared
SHLIB=$(ls "$SHDIR"/inst/lib/libopenvswitch*.so.* 2>/dev/null | head -n1 || true)
if [ $FORCE = 1 ] || [ ! -f "$SHDIR/.done" ] || [ -z "$SHLIB" ] || ! usdt_ok "$SHLIB"; then
    rm -rf "$SHDIR"
    ovs_source "$SHDIR/src"
    ovs_build "$SHDIR/src" "$TB/ovs-$O-shared" --enable-shared --disable-static --prefix="$SHDIR/inst" \
        --localstatedir=/run/ovs-shared --sysconfdir=/run/ovs-shared
    (cd "$SHDIR/src" && make install > "$TB/ovs-$O-shared-install.log" 2>&1) ||
        { tail -20 "$TB/ovs-$O-shared-install.log"; exit 1; }
    SHLIB=$(ls "$SHDIR"/inst/lib/libopenvswitch*.so.* | head -n1)
    usdt_ok "$SHLIB" || { echo "setup: $SHLIB lacks the USDT probes"; exit 1; }
    usdt_ok "$SHDIR/inst/sbin/ovs-vswitchd" &&
        { echo "setup: the shared build's ovs-vswitchd has the probes itself"; exit 1; }
    touch "$SHDIR/.done"
fi
stage_end "probes in $(basename "$SHLIB")"

# ------------------------------------------------------------------ traffic
stage_start traffic
for prog in traffic disturb; do
    if [ $FORCE = 1 ] || [ ! -x "$TB/$prog" ] || [ "$HERE/$prog.c" -nt "$TB/$prog" ]; then
        ${CC:-cc} -O2 -g -std=gnu11 -Wall -Wextra -Werror -o "$TB/$prog" "$HERE/$prog.c"
    fi
done
stage_end

# ------------------------------------------------------------------ initramfs
stage_start initramfs
INITRD=$TB/initrd-$K.gz
MODS="virtio_pci 9pnet_virtio 9p crc32c_generic openvswitch veth geneve vxlan"
rebuild=$FORCE
[ -f "$INITRD" ] || rebuild=1
[ "$HERE/init.sh" -nt "$INITRD" ] && rebuild=1
[ "$KDIR/.done" -nt "$INITRD" ] && rebuild=1
if [ $rebuild = 1 ]; then
    S=$TB/initramfs-$K
    rm -rf "$S"
    mkdir -p "$S/bin" "$S/sbin" "$S/proc" "$S/sys" "$S/dev" "$S/mnt/root" "$S/lib/modules/$KVER"
    cp /bin/busybox "$S/bin/busybox"
    cp "$HERE/init.sh" "$S/init"; chmod 755 "$S/init"
    # The module closure, as modprobe resolves it on the extracted tree
    # (built-in modules print no insmod line).
    for m in $MODS; do
        modprobe -d "$KDIR" -S "$KVER" --show-depends "$m" 2>/dev/null |
            awk '$1 == "insmod" { print $2 }'
    done | sort -u | while read -r ko; do
        rel=lib/modules/$KVER/${ko#*/lib/modules/"$KVER"/}
        mkdir -p "$S/$(dirname "$rel")"
        case $ko in
        *.ko.xz) xz -dc "$ko" > "$S/${rel%.xz}" ;;   # for busybox's modprobe
        *) cp "$ko" "$S/$rel" ;;
        esac
    done
    for f in modules.builtin modules.order modules.builtin.modinfo; do
        [ -f "$KDIR/lib/modules/$KVER/$f" ] &&
            sed 's/\.ko\.xz$/.ko/' "$KDIR/lib/modules/$KVER/$f" > "$S/lib/modules/$KVER/$f"
    done
    depmod -b "$S" "$KVER"
    (cd "$S" && find . | cpio -o -H newc --quiet | gzip -1 > "$INITRD.tmp")
    mv "$INITRD.tmp" "$INITRD"
    echo "   $(find "$S" -name '*.ko' | wc -l) modules, $(du -k "$INITRD" | cut -f1) KiB"
fi
stage_end

{
    echo "TB_PAIR=$K-$O"
    echo "KVER=$KVER"
    echo "KERNEL=$(ls "$KDIR"/boot/vmlinuz-"$KVER")"
    echo "INITRD=$INITRD"
    echo "OVS=$OVSDIR"
    echo "OVS_VERSION=$O"
    echo "OVS_SHARED=$SHDIR/inst"
    echo "OVS_BTF=$BTF"
    echo "TRAFFIC=$TB/traffic"
    echo "DISTURB=$TB/disturb"
} > "$TB/env-$K-$O"
echo "== setup $K/$O: ready ($(awk '{ s += $2 } END { printf "%.1f", s }' "$TIMES")s total)"

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/license.sh [UPCALL_COST] - the license headers, LICENSE and
# debian/copyright agree.
#
#   - every source file (C, shell, Python, awk, bash, scdoc, makefiles)
#     names its license in an SPDX-License-Identifier line near its top
#   - each identifier is one LICENSE covers: BSD-2-Clause, or
#     (LGPL-2.1 OR BSD-2-Clause), whose files LICENSE names and whose
#     LGPL text is in LICENSE.LGPL-2.1
#   - debian/copyright gives each file the license of its header (the
#     last Files paragraph that matches it wins, as DEP-5 says)
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib/check.sh


# The files of the source tree: Git's list in a checkout, else all files.
if git rev-parse --show-toplevel >/dev/null 2>&1 &&
   [ "$(git rev-parse --show-toplevel)" = "$(pwd -P)" ]; then
	git ls-files > "$tmp/all"
else
	find . -path ./.git -prune -o -path ./build -prune -o -type f -print |
		sed 's|^\./||' > "$tmp/all"
fi
grep -E '\.(c|h|sh|py|bash|awk|scd)$|(^|/)Makefile$|^debian/rules$' "$tmp/all" |
	LC_ALL=C sort > "$tmp/sources"

# spdx FILE: the identifier in its first 5 lines, or nothing.
spdx() {
	head -5 "$1" | sed -n 's/.*SPDX-License-Identifier: *//p' |
		sed 's| *\*/ *$||; s/ *$//' | head -1
}

: > "$tmp/missing"; : > "$tmp/unknown"; : > "$tmp/dual"; : > "$tmp/bsd"
while read -r f; do
	id=$(spdx "$f")
	case $id in
	"") echo "$f" >> "$tmp/missing" ;;
	BSD-2-Clause) echo "$f" >> "$tmp/bsd" ;;
	"(LGPL-2.1 OR BSD-2-Clause)") echo "$f" >> "$tmp/dual" ;;
	*) echo "$f: $id" >> "$tmp/unknown" ;;
	esac
done < "$tmp/sources"
[ ! -s "$tmp/missing" ]
check "every source file has an SPDX-License-Identifier ($(wc -l < "$tmp/sources") files)" $? "$tmp/missing"
[ ! -s "$tmp/unknown" ]
check "every identifier is BSD-2-Clause or (LGPL-2.1 OR BSD-2-Clause)" $? "$tmp/unknown"

grep -q '^BSD 2-Clause License$' LICENSE &&
	grep -q 'Redistributions in binary form must reproduce' LICENSE
check "LICENSE holds the BSD 2-Clause text" $?
grep -q 'GNU LESSER GENERAL PUBLIC LICENSE' LICENSE.LGPL-2.1 &&
	grep -q 'Version 2.1, February 1999' LICENSE.LGPL-2.1
check "LICENSE.LGPL-2.1 holds the LGPL 2.1 text" $?
: > "$tmp/unnamed"
while read -r f; do
	grep -q "$f" LICENSE || echo "$f is dual-licensed but LICENSE does not name it" >> "$tmp/unnamed"
done < "$tmp/dual"
tr -s ' ,()\n' '\n' < LICENSE | grep -E '^src/.*\.[ch]$' | LC_ALL=C sort -u > "$tmp/named"
LC_ALL=C sort "$tmp/dual" | comm -13 - "$tmp/named" |
	sed 's/$/ is named in LICENSE as dual-licensed but its header says otherwise/' >> "$tmp/unnamed"
[ -s "$tmp/dual" ] && [ ! -s "$tmp/unnamed" ]
check "LICENSE names exactly the $(wc -l < "$tmp/dual") dual-licensed files" $? "$tmp/unnamed"

# ------------------------------------------------------------- debian/copyright
# DEP-5: "Files:" globs (continuing on indented lines), then "License:".
awk '
/^Files:/ { sub(/^Files: */, ""); globs = $0; infiles = 1; next }
infiles && /^[ \t]/ { globs = globs " " $0; next }
/^License:/ && globs != "" { sub(/^License: */, ""); print $0 "\t" globs; globs = "" }
{ infiles = 0 }
' debian/copyright > "$tmp/paragraphs"
[ -s "$tmp/paragraphs" ]
check "debian/copyright has Files paragraphs" $?

# copyright_license FILE: the license of the last paragraph matching FILE.
copyright_license() {
	lic=""
	while IFS='	' read -r l globs; do
		for g in $globs; do
			# shellcheck disable=SC2254 # the glob is the pattern
			case $1 in $g) lic=$l ;; esac
		done
	done < "$tmp/paragraphs"
	echo "$lic"
}
set -f  # the globs are patterns, not for the shell to expand
: > "$tmp/mismatch"
for kind in bsd dual; do
	while read -r f; do
		got=$(copyright_license "$f")
		case $kind in
		bsd) want="BSD-2-Clause" ;;
		dual) want="LGPL-2.1 or BSD-2-Clause" ;;
		esac
		[ "$got" = "$want" ] ||
			echo "$f: header says $want, debian/copyright says '${got}'" >> "$tmp/mismatch"
	done < "$tmp/$kind"
done
set +f
[ ! -s "$tmp/mismatch" ]
check "debian/copyright gives each file its header's license" $? "$tmp/mismatch"
for l in "BSD-2-Clause" "LGPL-2.1"; do
	grep -qx "License: $l" debian/copyright
	check "debian/copyright has the $l license text" $?
done

finish

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/man.sh UPCALL_COST - the man page and the bash completion.
#
#   - man/upcall_cost.8.scd builds with scdoc, and `man --warnings` (as
#     lintian runs it) prints no warning about the result
#   - the options are the same everywhere: the option list of
#     `upcall_cost --help`, its usage lines, the man page's OPTIONS and the
#     options the bash completion offers
#   - the completion completes file names, option values and --compare's
#     list of files
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 1
. tests/lib/check.sh
SCD=man/upcall_cost.8.scd
COMPLETION=completion/upcall_cost.bash


# ------------------------------------------------------------- man page
scdoc < "$SCD" > "$tmp/upcall_cost.8" 2> "$tmp/scdoc.err"
check "scdoc builds $SCD" $? "$tmp/scdoc.err"

# lintian's own invocation (checks/documentation/manual.pm).
LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
	man --warnings -E UTF-8 -l -Tutf8 -Z "$tmp/upcall_cost.8" \
	> /dev/null 2> "$tmp/man.err"
rc=$?
[ $rc = 0 ] && [ ! -s "$tmp/man.err" ]
check "man --warnings: no warning (exit $rc)" $? "$tmp/man.err"

for section in NAME SYNOPSIS DESCRIPTION OPTIONS REPORT "FILE FORMATS" \
	       "EXIT STATUS" FILES CAPABILITIES EXAMPLES "SEE ALSO"; do
	grep -qx "# $section" "$SCD"
	check "man page has a $section section" $?
done

# ------------------------------------------------------------- options
# --help's option list: each line "  -b N, --histogram-buckets N   text";
# the names are the words starting with - before the description (which
# follows two spaces or the next line).
"$BIN" --help > "$tmp/help" 2>&1
check "upcall_cost --help exits 0" $?
sed -n '/^options:/,$p' "$tmp/help" | grep '^  -' | sed 's/^  //; s/  .*//' |
	grep -oE '(^| )--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ' | LC_ALL=C sort -u > "$tmp/opt.help"
# The usage lines name each option once, in its first form ([-b BUCKETS]).
# (A usage line of its own starts with its mode's option, unbracketed:
# "upcall_cost --monitor [--interval S]".)
sed -n '1,/^$/p' "$tmp/help" |
	grep -oE '\[--?[A-Za-z][-A-Za-z0-9]*|^ *(usage: )?upcall_cost --?[A-Za-z][-A-Za-z0-9]*' |
	sed 's/.* //' | tr -d '[' | LC_ALL=C sort -u > "$tmp/opt.usage"
sed -n '/^options:/,$p' "$tmp/help" | grep '^  -' | sed 's/^  //' |
	grep -oE '^--?[A-Za-z][-A-Za-z0-9]*' | LC_ALL=C sort -u > "$tmp/opt.first"
# The man page: the definition terms under OPTIONS ("*-p*, *--pid* _pid_").
sed -n '/^# OPTIONS$/,/^# [A-Z]/p' "$SCD" | grep '^\*-' |
	grep -oE '\*--?[A-Za-z][-A-Za-z0-9]*\*' | tr -d '*' | LC_ALL=C sort -u > "$tmp/opt.man"
# The completion: what it offers after a lone "-".
bash -c '. /usr/share/bash-completion/bash_completion && . "$1" &&
	COMP_WORDS=(upcall_cost -) COMP_CWORD=1 COMP_LINE="upcall_cost -" &&
	COMP_POINT=${#COMP_LINE} && _upcall_cost upcall_cost - upcall_cost;
	printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPLETION" 2> "$tmp/compl.err" |
	LC_ALL=C sort -u > "$tmp/opt.completion"

[ "$(wc -l < "$tmp/opt.help")" -ge 20 ]
check "--help lists options ($(wc -l < "$tmp/opt.help") names)" $?

# same_options NAME FILE: FILE names exactly the options of --help.
same_options() {
	if cmp -s "$tmp/opt.help" "$2"; then
		check "$1 lists the same $(wc -l < "$2") options as --help" 0
		return
	fi
	{
		comm -23 "$tmp/opt.help" "$2" | sed 's/^/in --help only: /'
		comm -13 "$tmp/opt.help" "$2" | sed "s/^/in $1 only: /"
		echo "An option must be in all of: --help (src/options.c), the man page"
		echo "($SCD, under OPTIONS) and the bash completion ($COMPLETION)."
	} > "$tmp/diff"
	check "$1 lists the same options as --help" 1 "$tmp/diff"
}
same_options "the man page" "$tmp/opt.man"
same_options "the bash completion" "$tmp/opt.completion"
if cmp -s "$tmp/opt.first" "$tmp/opt.usage"; then
	check "--help's usage lines name every option" 0
else
	diff "$tmp/opt.first" "$tmp/opt.usage" > "$tmp/diff"
	check "--help's usage lines name every option" 1 "$tmp/diff"
fi

# ------------------------------------------------------------- completion
# complete WORDS...: what the completion offers for the last word.
complete_words() {
	bash -c '. /usr/share/bash-completion/bash_completion && . "$1" && shift &&
		COMP_WORDS=(upcall_cost "$@") COMP_CWORD=$# &&
		COMP_LINE="upcall_cost $*" COMP_POINT=${#COMP_LINE} &&
		_upcall_cost upcall_cost "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD-1]}";
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$COMPLETION" "$@" 2>&1 | LC_ALL=C sort
}
mkdir -p "$tmp/d/sub"
: > "$tmp/d/run1.ucap"; : > "$tmp/d/run2.dat"; : > "$tmp/d/plot.svg"; : > "$tmp/d/r.json"
completes() {  # description expected-words words...
	d=$1 want=$2; shift 2
	expect "completion: $d" "$(complete_words "$@" | tr '\n' ' ')" "$want"
}
completes "-r completes file names" "$tmp/d/plot.svg $tmp/d/r.json $tmp/d/run1.ucap $tmp/d/run2.dat $tmp/d/sub " -r "$tmp/d/"
completes "-r completes a prefix" "$tmp/d/run1.ucap $tmp/d/run2.dat " -q -r "$tmp/d/ru"
completes "--plot offers .svg files (and directories)" "$tmp/d/plot.svg $tmp/d/sub " --plot "$tmp/d/"
completes "--json offers .json files (and directories)" "$tmp/d/r.json $tmp/d/sub " --json "$tmp/d/"
mkdir -p "$tmp/p/sub"; : > "$tmp/p/run.pcapng"; : > "$tmp/p/run.txt"
completes "--pcap offers .pcapng files (and directories)" "$tmp/p/run.pcapng $tmp/p/sub " --pcap "$tmp/p/"
completes "--compare completes each file of its list" "$tmp/d/run1.ucap $tmp/d/run2.dat " --compare "$tmp/d/run1.ucap" "$tmp/d/ru"
completes "--probes offers its values" "all kernel user " --probes ""
completes "--write-format=VALUE" "native " --write-format=n
completes "a number gets no completion" "" -P ""
completes "a prefix of a long option" "--packet-size --pcap --pid --plot --port --probes " --p

[ ! -s "$tmp/compl.err" ]
check "the completion script runs without errors" $? "$tmp/compl.err"

finish

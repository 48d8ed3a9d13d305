# SPDX-License-Identifier: BSD-2-Clause
# bash completion for upcall_cost(8); installed as
# /usr/share/bash-completion/completions/upcall_cost.
#
# The option list must be the one `upcall_cost --help` prints (and the man
# page's): tests/man.sh checks the three agree.

_upcall_cost()
{
    local cur prev words cword split
    _init_completion -s || return

    case $prev in
        -r | --read-events | -w | --write-events)
            _filedir
            return
            ;;
        --json)
            _filedir json
            return
            ;;
        --plot)
            _filedir svg
            return
            ;;
        --pcap)
            _filedir '@(pcapng|pcap)'
            return
            ;;
        --btf)
            _filedir
            return
            ;;
        --record-dir)
            _filedir -d
            return
            ;;
        --trigger)
            # The statistics and counts an expression starts with.
            COMPREPLY=($(compgen -W 'p50> p90> p99> p99.9> max> mean> lost>
                unmatched> upcalls> receives>' -- "$cur"))
            compopt -o nospace
            return
            ;;
        --write-format)
            COMPREPLY=($(compgen -W 'native py' -- "$cur"))
            return
            ;;
        --probes)
            COMPREPLY=($(compgen -W 'all kernel user' -- "$cur"))
            return
            ;;
        -p | --pid)
            # The running ovs-vswitchd processes, else any process.
            local pids
            pids=$(pgrep -x ovs-vswitchd 2>/dev/null)
            if [[ -n $pids ]]; then
                COMPREPLY=($(compgen -W "$pids" -- "$cur"))
            else
                _pids
            fi
            return
            ;;
        -b | --histogram-buckets | --buffer-page-count | -f | --flow-key-size | \
            -P | --packet-size | -s | --stop | --top | --handler-filter | -D | --debug | \
            --since | --until | --port | --interval | --count | --metrics | \
            --metrics-buckets | --max-ports | --max-handlers | --inflight | \
            --inflight-timeout | --record | --record-keep)
            # A number, a time, an address, names: nothing to offer.
            return
            ;;
    esac
    $split && return

    # --compare takes every following word that is not an option.
    if [[ $cur != -* ]]; then
        local i
        for ((i = cword - 1; i > 0; i--)); do
            [[ ${words[i]} == --compare ]] && { _filedir; return; }
            [[ ${words[i]} == -* ]] && break
        done
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '-b --histogram-buckets --buffer-page-count
            -D --debug -f --flow-key-size --handler-filter -P --packet-size
            -p --pid -q --quiet -r --read-events --sets -s --stop
            -w --write-events --write-format --probes --btf -v --verbose --compat
            --top --json --plot --compare --since --until --port -h --help
            --explain --miss-reasons --pcap --check --version --monitor --interval --count --json-lines
            --metrics --metrics-buckets --max-ports --max-handlers --inflight
            --inflight-timeout --trigger --record --record-keep --record-dir' -- "$cur"))
        if [[ ${COMPREPLY-} == *= ]]; then
            compopt -o nospace
        fi
    fi
} &&
    complete -F _upcall_cost upcall_cost

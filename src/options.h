/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * options.h - the command line, parsed and validated.
 *
 * Names, defaults and ranges are upcall_cost.py's, so its users need not
 * relearn anything; the options it does not have are marked "new".
 */
#ifndef UC_OPTIONS_H
#define UC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "filter.h"
#include "trace_file.h"

#define UC_MAX_COMPARE_FILES 16
#define UC_MAX_TRIGGERS 8

enum uc_probe_set {
	UC_PROBES_ALL = 0,
	UC_PROBES_KERNEL = 1,
	UC_PROBES_USER = 2,
};

struct uc_options {
	int histogram_buckets;        /* -b, default 20 */
	uint32_t buffer_page_count;   /* --buffer-page-count, rounded up to 2^k */
	uint64_t debug;               /* -D */
	uint32_t flow_key_size;       /* -f, 64..2048, default 64 */
	const char *handler_filter;   /* --handler-filter, comma separated */
	uint32_t packet_size;         /* -P, 64..2048, default 256 */
	int64_t pid;                  /* -p, -1 when not given */
	bool quiet;                   /* -q */
	const char *read_events;      /* -r FILE */
	bool sets;                    /* --sets */
	uint64_t stop;                /* -s, 0 = no limit */
	const char *write_events;     /* -w FILE */
	enum uc_file_format write_format; /* new: --write-format native|py */
	enum uc_probe_set probes;     /* new: --probes kernel|user|all */
	bool verbose;                 /* new: -v, BPF variant and libbpf output */
	const char *btf_path;         /* new: --btf FILE, openvswitch module types */
	bool compat;                  /* new: --compat, only what upcall_cost.py prints */
	int top;                      /* new: --top N outliers, default 10 */
	const char *json_path;        /* new: --json FILE */
	const char *plot_path;        /* new: --plot FILE.svg */
	const char *compare[UC_MAX_COMPARE_FILES]; /* new: --compare A B ... */
	struct uc_time_spec since, until; /* new: --since, --until (with -r) */
	const char *port;             /* new: --port NAME|NUMBER (with -r) */
	bool explain;                 /* new: --explain, follow the handlers'
				       * scheduling, IRQs and syscalls */
	bool miss_reasons;            /* new: --miss-reasons, the revalidators'
				       * flow results (OVS 3.4+) */
	const char *pcap_path;        /* new: --pcap FILE */
	int n_compare;
	bool check;                   /* new: --check, what a capture would find */
	bool help;
	bool version;
	/* Monitor mode (new; see monitor_run.h). */
	bool monitor;                 /* --monitor */
	bool packet_size_given;       /* -P was given (monitor: default 64) */
	double interval;              /* --interval S, default 1 */
	uint64_t count;               /* --count N intervals, 0 = until stopped */
	bool json_lines;              /* --json-lines */
	const char *metrics;          /* --metrics [ADDR:]PORT */
	const char *metrics_buckets;  /* --metrics-buckets LIST */
	uint32_t max_ports;           /* --max-ports N, default 16 */
	uint32_t max_handlers;        /* --max-handlers N, default 16 */
	uint32_t inflight;            /* --inflight N, default 16384 */
	double inflight_timeout;      /* --inflight-timeout S, default 30 */
	const char *triggers[UC_MAX_TRIGGERS]; /* --trigger EXPR ... */
	int n_triggers;
	double record;                /* --record S, default 10 */
	uint32_t record_keep;         /* --record-keep N, default 10 */
	const char *record_dir;       /* --record-dir DIR, default "." */
};

/* Fills OPT with the defaults. */
void uc_options_init(struct uc_options *opt);
/*
 * Parses argv.  Returns 0, or -1 with ERR set to a one-line message (the
 * caller prints it and exits non-zero).  Does not print anything itself.
 */
int uc_options_parse(struct uc_options *opt, int argc, char **argv,
		     struct uc_error *err);
/* The --help text. */
const char *uc_options_usage(void);

#endif /* UC_OPTIONS_H */

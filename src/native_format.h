/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * native_format.h - upcall_cost's own event file format, version 1.1.
 *
 * docs/native-format.md is the prose version of this header; the two must
 * agree.  In short:
 *
 *   preamble   16 bytes: magic, byte-order mark, format version
 *   INFO       first record: tool version, capture settings, host, clock
 *   PORT_MAP   the datapath port map; again whenever it was refreshed
 *   EVENT      one per traced event, only the bytes that were captured
 *   XEVENT     (1.1) verdicts, scheduling, flow life, capture facts
 *   ...
 *   TRAILER    last record: event count and per-type missed counts
 *
 * Every record starts with the same 8-byte header (total size, type), so a
 * reader can check bounds before it looks inside and can skip record types
 * added by later minor versions.  All integers are little-endian; records
 * are not padded or aligned (read fields with memcpy).  The structs below
 * are the on-disk layouts: their fields are naturally aligned, so they have
 * no hidden padding, which the static asserts in native_read.c check.
 *
 * Packet and flow-key bytes are stored as captured.  The flow key is a
 * sequence of netlink attributes in the capturing host's byte order; INFO
 * says which order that was.
 *
 * A file that ends early (capture killed: no trailer, or a partial last
 * record) is still readable: everything before the cut is delivered, with
 * a warning.  Anything else that does not follow this spec is an error.
 */
#ifndef UC_NATIVE_FORMAT_H
#define UC_NATIVE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ preamble */

/*
 * PNG-style magic: a non-ASCII first byte (never the start of an
 * upcall_cost.py text file), then CR LF, ^Z and LF, which catch a file
 * mangled by a text-mode transfer.
 */
#define UC_NATIVE_MAGIC "\x89UCT\r\n\x1a\n"
#define UC_NATIVE_MAGIC_LEN 8

/* Written as a little-endian u32: bytes 04 03 02 01.  A file that has
 * 01 02 03 04 here came from a writer that forgot to convert. */
#define UC_NATIVE_BOM 0x01020304u

/* Major: incompatible changes.  Minor: new record types or fields appended
 * to records; a reader skips what it does not know from a newer minor. */
#define UC_NATIVE_VERSION_MAJOR 1
#define UC_NATIVE_VERSION_MINOR 1

struct uc_native_preamble {
	uint8_t magic[UC_NATIVE_MAGIC_LEN];
	uint32_t bom;
	uint16_t version_major;
	uint16_t version_minor;
};
#define UC_NATIVE_PREAMBLE_SIZE 16

/* ------------------------------------------------------------- records */

struct uc_native_rec_hdr {
	uint32_t size;    /* whole record, this header included */
	uint16_t type;    /* enum uc_native_rec_type */
	uint16_t flags;   /* 0 in version 1.0 */
};
#define UC_NATIVE_REC_HDR_SIZE 8

enum uc_native_rec_type {
	UC_NATIVE_REC_INFO = 1,
	UC_NATIVE_REC_PORT_MAP = 2,
	UC_NATIVE_REC_EVENT = 3,
	UC_NATIVE_REC_TRAILER = 4,
	UC_NATIVE_REC_XEVENT = 5,      /* since 1.1 */
};

/*
 * Upper bounds on record sizes, so that a corrupt size field is caught
 * before it makes the reader buffer megabytes.  They leave room for fields
 * that later minor versions may append.
 */
#define UC_NATIVE_INFO_MAX (64u * 1024)
#define UC_NATIVE_PORT_MAP_MAX (16u * 1024 * 1024)
#define UC_NATIVE_EVENT_MAX (64u * 1024)
#define UC_NATIVE_TRAILER_MAX (1024u * 1024)
#define UC_NATIVE_XEVENT_MAX (64u * 1024)

/* INFO: struct uc_native_info, then three strings, each a u8 length and
 * that many bytes (no NUL): tool_version, host, kernel. */
struct uc_native_info {
	uint32_t packet_size;        /* -P, 0 if unknown; <= 2048 */
	uint32_t flow_key_size;      /* -f, 0 if unknown; <= 2048 */
	uint32_t buffer_page_count;  /* 0 if unknown */
	uint32_t flags;              /* UC_NATIVE_INFO_F_* */
	uint32_t clock_id;           /* clock of the event ts: CLOCK_MONOTONIC */
	uint32_t reserved;           /* 0 */
	uint64_t start_realtime_ns;  /* CLOCK_REALTIME at capture start, or 0 */
	uint64_t start_monotonic_ns; /* clock_id's time at the same moment */
};
#define UC_NATIVE_INFO_SIZE 40
/* Flow keys were captured on a big-endian host (their netlink attribute
 * headers and u32 payloads are big-endian). */
#define UC_NATIVE_INFO_F_BIG_ENDIAN 0x1u
/* Linux's CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns(). */
#define UC_NATIVE_CLOCK_MONOTONIC 1u

/* PORT_MAP: struct uc_native_port_map, then n_entries times
 * struct uc_native_port_entry followed by dp_len + port_len name bytes. */
struct uc_native_port_map {
	uint32_t flags;              /* UC_NATIVE_PORT_MAP_F_VALID */
	uint32_t n_entries;
};
#define UC_NATIVE_PORT_MAP_SIZE 8
/* Clear for upcall_cost.py's "dp_port_map = None" (dpctl/show failed). */
#define UC_NATIVE_PORT_MAP_F_VALID 0x1u

struct uc_native_port_entry {
	int64_t number;
	uint16_t dp_len;
	uint16_t port_len;
	uint32_t reserved;           /* 0 */
};
#define UC_NATIVE_PORT_ENTRY_SIZE 16

/*
 * EVENT: struct uc_native_event, then pkt_cap packet bytes, key_cap flow
 * key bytes, and comm_len, dpif_name_len and dev_name_len string bytes
 * (no NUL).  The first 40 bytes are struct uc_raw_event's integers.
 */
struct uc_native_event {
	uint32_t event;
	uint32_t cpu;
	uint32_t pid;
	uint32_t upcall_type;
	uint64_t ts;
	uint32_t pkt_frag_size;
	uint32_t pkt_size;
	uint64_t key_size;
	uint16_t pkt_cap;            /* <= UC_CAPTURE_MAX */
	uint16_t key_cap;            /* <= UC_CAPTURE_MAX */
	uint8_t comm_len;            /* <= UC_TASK_COMM_LEN */
	uint8_t dpif_name_len;       /* <= UC_DPIF_NAME_LEN */
	uint8_t dev_name_len;        /* <= UC_DEV_NAME_LEN */
	uint8_t reserved;            /* 0 */
};
#define UC_NATIVE_EVENT_SIZE 48

/*
 * XEVENT (1.1): struct uc_native_xevent, then comm_len name bytes and
 * data_len data bytes: every field of struct uc_xevent (xevent.h).
 */
struct uc_native_xevent {
	uint16_t kind;               /* UC_X_BASE .. UC_X_MAX - 1 */
	uint16_t flags;
	uint32_t cpu;
	uint32_t tid;
	uint32_t seq;
	uint64_t ts;
	uint64_t a;
	uint64_t b;
	uint32_t other;
	int32_t ret;
	uint8_t comm_len;            /* <= UC_TASK_COMM_LEN */
	uint8_t reserved[3];         /* 0 */
	uint32_t data_len;           /* <= UC_X_DATA_MAX */
};
#define UC_NATIVE_XEVENT_SIZE 56

/* TRAILER: struct uc_native_trailer, then n_missed times
 * struct uc_native_missed.  Nothing may follow it. */
struct uc_native_trailer {
	uint64_t n_events;           /* EVENT records in the file */
	uint32_t n_missed;
	uint32_t reserved;           /* 0 */
};
#define UC_NATIVE_TRAILER_SIZE 16

struct uc_native_missed {
	uint32_t type;               /* event type or (1.1) xevent kind, as
				      * in on_missed() */
	uint32_t reserved;           /* 0 */
	uint64_t count;
};
#define UC_NATIVE_MISSED_SIZE 16

/* True when BUF starts with the native magic (LEN may be short). */
bool uc_native_is_magic(const void *buf, size_t len);

#endif /* UC_NATIVE_FORMAT_H */

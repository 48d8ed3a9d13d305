/* SPDX-License-Identifier: BSD-2-Clause */
/* event_digest.c - what one event says on its own (event_digest.h). */
#include <stdint.h>
#include <string.h>

#include "event_digest.h"
#include "flow_key.h"
#include "hash.h"
#include "ovs_netlink.h"
#include "packet.h"
#include "port_map.h"
#include "strtab.h"

/*
 * Kernel and vswitchd copies of a packet may differ in the L4 checksum
 * only (the kernel fills it in after the tracepoint): the hash is of the
 * bytes with it zeroed, so they index together.
 */
static void digest_packet(const struct uc_raw_event *ev, struct uc_event_digest *d)
{
	d->csum_off = uc_packet_l4_csum_offset(ev->pkt, ev->pkt_cap);
	d->pkt_hash = uc_hash_bytes_masked(ev->pkt, ev->pkt_cap,
					   d->csum_off == UC_NO_OFFSET ? SIZE_MAX - 8 :
									 d->csum_off,
					   2, 0);
}

/*
 * The names' lengths and hashes, for the name table and the port map.
 * vswitchd names the datapath "system@NAME", the kernel and the map NAME.
 */
static void digest_names(const struct uc_raw_event *ev, struct uc_event_digest *d)
{
	const char *dp = ev->dpif_name;

	if (ev->event == UC_EV_RECV_UPCALL && !strncmp(dp, "system@", 7))
		d->dp_off = 7;
	d->dp_len = (uint8_t)strlen(dp + d->dp_off);
	d->dp_hash = uc_strtab_hash(dp + d->dp_off, d->dp_len);
	if (ev->event == UC_EV_DP_UPCALL) {
		d->dev_len = (uint8_t)strlen(ev->dev_name);
		d->port_hash = uc_port_map_name_hash(dp, d->dp_len, ev->dev_name,
						     d->dev_len);
	} else {
		d->comm_hash = uc_strtab_hash(ev->comm, strlen(ev->comm));
	}
}

static void digest(const struct uc_raw_event *ev, struct uc_event_digest *d)
{
	memset(d, 0, sizeof(*d));
	d->valid = true;
	d->csum_off = UC_NO_OFFSET;
	if (ev->event != UC_EV_DP_UPCALL && ev->event != UC_EV_RECV_UPCALL)
		return;
	digest_packet(ev, d);
	digest_names(ev, d);
	if (ev->event == UC_EV_RECV_UPCALL) {
		d->key_port = (uint8_t)uc_flow_key_port(ev->key, ev->key_cap,
							&d->in_port);
		uc_ovs_key_recirc_id(ev->key, ev->key_cap, &d->recirc_id);
	}
}

void uc_event_digest_fill(struct uc_raw_event *ev)
{
	digest(ev, &ev->digest);
}

const struct uc_event_digest *uc_event_digest_of(const struct uc_raw_event *ev,
						 struct uc_event_digest *scratch)
{
	if (ev->digest.valid)
		return &ev->digest;
	digest(ev, scratch);
	return scratch;
}

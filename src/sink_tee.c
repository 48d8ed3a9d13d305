/* SPDX-License-Identifier: BSD-2-Clause */
#include "sink_tee.h"
#include "xevent.h"

#define BOTH(member, ...)                                                     \
	do {                                                                  \
		struct uc_sink_tee *tee = ctx;                                \
		int ret = tee->a.member ? tee->a.member(tee->a.ctx, __VA_ARGS__) : 0; \
		if (ret)                                                      \
			return ret;                                           \
		return tee->b.member ? tee->b.member(tee->b.ctx, __VA_ARGS__) : 0; \
	} while (0)

static int tee_info(void *ctx, const struct uc_capture_info *info)
{
	BOTH(on_info, info);
}

static int tee_port_map(void *ctx, const struct uc_port_map *map)
{
	BOTH(on_port_map, map);
}

static int tee_event(void *ctx, const struct uc_raw_event *ev)
{
	BOTH(on_event, ev);
}

static int tee_missed(void *ctx, uint32_t type, uint64_t count)
{
	BOTH(on_missed, type, count);
}

static int tee_xevent(void *ctx, const struct uc_xevent *xe)
{
	BOTH(on_xevent, xe);
}

struct uc_event_sink uc_sink_tee(struct uc_sink_tee *tee)
{
	return (struct uc_event_sink){
		.ctx = tee,
		.on_info = tee_info,
		.on_port_map = tee_port_map,
		.on_event = tee_event,
		.on_missed = tee_missed,
		.on_xevent = tee_xevent,
	};
}

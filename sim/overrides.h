/*
 * overrides.h - `--set key.path=value` applied to a loaded scenario, with the
 * one rule that makes memory size sweepable on every scenario:
 * `--set machine.memory=SIZE` replaces an explicit `machine.nodes` layout (and
 * its `distance` table) with one node laid out as the kernel's usual
 * architecture does (see the `machine.memory` key); `machine.cpus` stays.
 * In a scenario file, `memory` beside `nodes` is still an error.
 */
#ifndef ZS_OVERRIDES_H
#define ZS_OVERRIDES_H

#include "sim/cfg.h"

/* Apply set[0..n-1] in order.  0, or -1 with err. */
int zs_overrides_apply(struct zs_cfg *root, const char *const *set, int n, struct zs_error *err);

#endif

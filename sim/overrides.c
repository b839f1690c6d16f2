/* overrides.c - --set assignments and the machine.memory rule; see overrides.h. */
#include "sim/overrides.h"

#include <string.h>

int
zs_overrides_apply(struct zs_cfg *root, const char *const *set, int n, struct zs_error *err)
{
	for (int i = 0; i < n; i++) {
		if (!strncmp(set[i], "machine.memory=", 15)) {
			struct zs_cfg *m = root->type == ZS_CFG_MAP ? zs_cfg_get(root, "machine") : NULL;

			if (m && m->type == ZS_CFG_MAP) {
				zs_cfg_remove(m, "nodes");
				zs_cfg_remove(m, "distance");
				zs_cfg_remove(m, "numa");
			}
		}
		if (zs_cfg_set(root, set[i], err))
			return -1;
	}
	return 0;
}

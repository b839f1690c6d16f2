/* cmd_common.c - option parsing and error printing shared by the commands. */
#include "sim/cmd_common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

int
zs_cmd_fail(const struct zs_error *err)
{
	fprintf(stderr, "zsim: %s\n", err->msg[0] ? err->msg : "failed");
	return err->code ? err->code : EX_SOFTWARE;
}

int
zs_parse_run_opts(int argc, char **argv, struct zs_run_opts *o, const char *usage, int npos)
{
	static const struct option longopts[] = {
		{"kernel", required_argument, NULL, 'k'}, {"seed", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},    {"set", required_argument, NULL, 'S'},
		{"events", no_argument, NULL, 'e'},       {"quiet", no_argument, NULL, 'q'},
		{"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
		{"skip-bad-lines", no_argument, NULL, 'B'},
		{"time-scale", required_argument, NULL, 'T'},
		{NULL, 0, NULL, 0}};
	int c;

	memset(o, 0, sizeof(*o));
	o->set = calloc((size_t)argc + 1, sizeof(*o->set));
	if (!o->set)
		return EX_OSERR;
	optind = 0; /* restart getopt for this verb (GNU) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "k:s:o:S:eqf:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->kernel = optarg;
			break;
		case 's': {
			char *end;
			o->seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg || optarg[0] == '-') {
				fprintf(stderr, "zsim: --seed wants a whole number, got '%s'\n", optarg);
				free(o->set);
				return EX_USAGE;
			}
			o->seed_set = 1;
			break;
		}
		case 'o':
			o->out = optarg;
			break;
		case 'S':
			o->set[o->nset++] = optarg;
			break;
		case 'e':
			o->events = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'f':
			o->format = optarg;
			break;
		case 'B':
			o->skip_bad_lines = 1;
			o->trace_opts = 1;
			break;
		case 'T':
			o->time_scale = optarg;
			o->trace_opts = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			free(o->set);
			return EX_OK;
		default:
			fprintf(stderr, "zsim %s: unknown or incomplete option '%s'\n%s", argv[0],
				argv[optind - 1], usage);
			free(o->set);
			return EX_USAGE;
		}
	}
	for (; optind < argc; optind++) {
		if (o->npositional == npos || o->npositional == 2) {
			fprintf(stderr, "zsim %s: unexpected argument '%s'\n%s", argv[0], argv[optind],
				usage);
			free(o->set);
			return EX_USAGE;
		}
		o->positional[o->npositional++] = argv[optind];
	}
	o->scenario = o->positional[0];
	if (o->trace_opts && strcmp(argv[0], "replay")) {
		fprintf(stderr, "zsim %s: --skip-bad-lines and --time-scale belong to `zsim replay`\n%s",
			argv[0], usage);
		free(o->set);
		return EX_USAGE;
	}
	if (o->format && strcmp(argv[0], "replay") && strcmp(argv[0], "check")) {
		fprintf(stderr, "zsim %s: unknown option --format\n%s", argv[0], usage);
		free(o->set);
		return EX_USAGE;
	}
	return -1;
}

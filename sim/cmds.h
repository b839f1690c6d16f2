/*
 * cmds.h - the subcommands main.c dispatches to.
 *
 * Each handler takes the arguments after the verb (argv[0] is the verb itself),
 * prints its own errors, and returns the process exit status (sysexits.h).
 */
#ifndef ZS_CMDS_H
#define ZS_CMDS_H

int zs_cmd_run(int argc, char **argv);
int zs_cmd_check(int argc, char **argv);
int zs_cmd_trace(int argc, char **argv);
int zs_cmd_replay(int argc, char **argv);
int zs_cmd_compare(int argc, char **argv);
int zs_cmd_plot(int argc, char **argv);
int zs_cmd_report(int argc, char **argv);
int zs_cmd_sweep(int argc, char **argv);
int zs_cmd_aggregate(int argc, char **argv);

/* Usage text of each verb, defined beside its handler, printed by `zsim help VERB`. */
extern const char zs_usage_run[];
extern const char zs_usage_check[];
extern const char zs_usage_trace[];
extern const char zs_usage_replay[];
extern const char zs_usage_compare[];
extern const char zs_usage_plot[];
extern const char zs_usage_report[];
extern const char zs_usage_sweep[];
extern const char zs_usage_aggregate[];

#endif

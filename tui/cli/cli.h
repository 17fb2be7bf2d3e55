/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the dmascope command line: subcommands and what they share.
 *
 * main.c dispatches argv[1] to one cmd_*() per subcommand (one file each).
 * Every subcommand parses its own options with getopt_long, prints its own
 * --help on stdout, and returns the process exit status: 0 fine, 1 findings
 * (check only), 2 a usage error or a file that could not be read.
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>
#include <stdio.h>

#include "coh_platform.h"
#include "trace.h"

#ifndef DMASCOPE_VERSION
#define DMASCOPE_VERSION "0.0.0"
#endif

enum cli_exit {
	CLI_EXIT_OK = 0,             /* no findings, or the job is done */
	CLI_EXIT_FINDINGS = 1,       /* check: findings among DC001-DC012 */
	CLI_EXIT_ERROR = 2           /* usage error, or a file could not be read */
};

/**
 * cmd_check, cmd_stat, cmd_convert, cmd_platforms, cmd_explain, cmd_run,
 * cmd_replay, cmd_fix, cmd_whatif -
 * the subcommands (one file each)
 * @argc, @argv: the arguments after "dmascope", argv[0] being the subcommand
 *
 * Return: the process exit status (enum cli_exit).
 */
int cmd_check(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_platforms(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_lesson(int argc, char **argv);      /* cmd_lesson.c: the Lua lessons */
int cmd_whatif(int argc, char **argv);

/**
 * cli_usage_error - print "dmascope CMD: message" and a one-line hint
 * @cmd: the subcommand, or NULL for the top level
 * @fmt: English; translated here (xgettext extracts it: the Makefile's
 *       --keyword=cli_usage_error:2)
 *
 * Return: CLI_EXIT_ERROR, for the caller to return.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * cli_bad_option - report what getopt_long rejected (call with opterr = 0)
 * @cmd:  the subcommand
 * @argv: the argv getopt_long saw
 * @c:    what getopt_long returned ('?' or ':')
 *
 * Return: CLI_EXIT_ERROR.
 */
int cli_bad_option(const char *cmd, char **argv, int c);


/**
 * cli_check_preset - validate a --platform argument
 *
 * Return: 0, or CLI_EXIT_ERROR after printing a usage error for @cmd.
 */
int cli_check_preset(const char *cmd, const char *name);

/* Where the options every trace-reading command shares go. */
struct cli_trace_args {
	const char **platform;       /* -p, --platform NAME */
	const char **device;         /* -d, --device NAME */
	int *infer;                  /* -i, --infer WHEN (enum trace_infer) */
};

/**
 * cli_trace_option - parse -p, -d or -i for subcommand @cmd into @a
 * @c:   what cli_getopt() returned
 * @arg: its argument (optarg)
 *
 * Return: -1 when @c is none of them (the caller goes on with its own), 0
 * when taken, CLI_EXIT_ERROR (a message printed) when its value is wrong.
 */
int cli_trace_option(const char *cmd, int c, const char *arg, const struct cli_trace_args *a);

/**
 * cli_parse_infer - "auto", "never" or "always" to enum trace_infer
 *
 * Return: the value, or -1.
 */
int cli_parse_infer(const char *s);

/**
 * cli_open_trace - trace_open() with a progress bar on a terminal
 * @path:   the file; "-" reads standard input, named "<stdin>" in messages
 * @opts:   device and infer settings (progress fields are filled in here)
 * @err, @n: receives the reader's message ("FILE: offset N: ..."), which
 *          is also printed on stderr, when it fails
 *
 * Return: the trace (caller frees with trace_close()), or NULL.
 */
struct trace *cli_open_trace(const char *path, const struct trace_opts *opts, char *err,
			     size_t n);

/**
 * cli_trace_platform - the platform to replay @t on (@preset, else the
 * file's own, else trace_default_platform() of its format)
 * @err, @n: receives why it failed (also printed on stderr), naming the file
 *
 * Return: 0, or -1.
 */
int cli_trace_platform(const struct trace *t, const char *preset, struct coh_platform *p,
		       char *err, size_t n);

/* ---- progress bar on stderr (only when stderr is a terminal) ------------ */

struct progress {
	char label[64];              /* what is being done, e.g. "loading nic/trace.dat" */
	int on;                      /* 1: stderr is a terminal, drawing */
	int drawn;                   /* 1: a bar is on the screen */
	int last;                    /* last permille drawn, -1 = none */
};

/**
 * progress_init - start a progress bar labelled @what @name
 */
void progress_init(struct progress *pr, const char *what, const char *name);

/**
 * progress_update - draw done/total, redrawing only when it changed enough;
 * usable as a trace_opts.progress callback (ctx = the struct progress)
 */
void progress_update(void *ctx, uint64_t done, uint64_t total);

/**
 * progress_end - erase the bar
 */
void progress_end(struct progress *pr);

#endif

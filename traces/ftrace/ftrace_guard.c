/* SPDX-License-Identifier: MIT */
/*
 * ftrace_guard.c - open a version-7 file once in a child process first.
 *
 * The checks in ftrace_check*.c cover everything dmascope can see without
 * decompressing; the compressed metadata sections of a version-7 file (event
 * formats, printk strings, kallsyms) go to libtracecmd and libtraceevent as
 * they are, and a damaged one can make them read out of bounds or crash.
 * Parsing them first in a throwaway child turns that into a clear error for
 * the file instead of a crash of dmascope.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "ftrace-local.h"

static void child(const char *path)
{
	struct tracecmd_input *h;
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0)
		dup2(fd, STDERR_FILENO);      /* the libraries' (and sanitizers') noise */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	h = tracecmd_open_head(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	_exit(h ? 0 : 3);                     /* no close: 3.1.6 may crash on a bad handle */
}

int fx_guard_open(const char *path, uint64_t meta_off, char *err, size_t n)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 0;                     /* no child to spare: go on unguarded */
	if (pid == 0)
		child(path);
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		snprintf(err, n, "offset %llu: libtracecmd could not read the headers, event "
			 "formats, kallsyms or options from here on (damaged?)",
			 (unsigned long long)meta_off);
	else if (WIFSIGNALED(status))
		snprintf(err, n, "offset %llu: a compressed header section from here on is damaged "
			 "(reading it killed libtraceevent with signal %d)",
			 (unsigned long long)meta_off, WTERMSIG(status));
	else
		snprintf(err, n, "offset %llu: a compressed header section from here on is damaged "
			 "(libtraceevent failed reading it)", (unsigned long long)meta_off);
	return -1;
}

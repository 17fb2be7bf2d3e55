/* SPDX-License-Identifier: MIT */
/* main.c - placeholder entry point until the command-line front end lands. */
#include <stdio.h>

int main(void)
{
	puts("dmascope " DMASCOPE_VERSION);
	return 0;
}

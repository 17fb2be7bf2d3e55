/* SPDX-License-Identifier: MIT */
/*
 * cli_sim.h - engine/coh_sim.h for the front end.
 *
 * coh_sim.h as committed has a comment containing slash-star
 * ("*set/" followed by "*way"), which -Wall (-Wcomment) with -Werror rejects;
 * until the header is fixed the front end includes it through here.
 */
#ifndef CLI_SIM_H
#define CLI_SIM_H

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "coh_sim.h"
#pragma GCC diagnostic pop

#endif

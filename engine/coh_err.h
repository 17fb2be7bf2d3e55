/* SPDX-License-Identifier: MIT */
/*
 * coh_err.h - error codes of the coherency engine.
 *
 * Engine functions return 0 on success or a negative -COH_E_* code.
 * Constructors return NULL and store the code through an int pointer.
 * coh_strerror() turns either sign into a message.
 */
#ifndef COH_ERR_H
#define COH_ERR_H

#define COH_ERRORS(_)                                                     \
	_(OK,       "success")                                            \
	_(NOMEM,    "out of memory")                                      \
	_(INVAL,    "invalid argument")                                   \
	_(RANGE,    "empty or overflowing address range")                 \
	_(CPU,      "CPU index out of range")                             \
	_(DEV,      "device index out of range")                          \
	_(KIND,     "unknown event kind")                                 \
	_(PLATFORM, "invalid platform parameters")                        \
	_(SEEK,     "event index out of range")                           \
	_(TOOBIG,   "size limit exceeded")                                \
	_(SOURCE,   "event source failed")

enum coh_err {
#define COH_ERR_ENUM(name, msg) COH_E_##name,
	COH_ERRORS(COH_ERR_ENUM)
#undef COH_ERR_ENUM
	COH_E_COUNT
};

/**
 * coh_strerror - message for an engine error code
 * @err: COH_E_* or -COH_E_*
 *
 * Return: a static string, never NULL.
 */
const char *coh_strerror(int err);

#endif

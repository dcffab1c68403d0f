/*
 * A minimal TAP-style checker for the unit tests: each CHECK prints "ok" or
 * "not ok" with the expression and location; tap_done() returns the exit
 * code (1 when any check failed).
 */
#ifndef XREF_TESTS_TAP_H
#define XREF_TESTS_TAP_H

#include <stdbool.h>

void tap_check(bool ok, const char *expr, const char *file, int line);
void tap_check_str(const char *got, const char *want, const char *expr,
		   const char *file, int line);
int tap_done(void);

#define CHECK(e) tap_check((e), #e, __FILE__, __LINE__)
#define CHECK_STR(got, want) tap_check_str((got), (want), #got, __FILE__, __LINE__)

#endif

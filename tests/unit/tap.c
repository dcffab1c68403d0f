/*
 * Implementation of the unit-test checker declared in tap.h. Output goes to
 * stdout so that CTest shows it on failure.
 */
#include "tests/unit/tap.h"

#include <stdio.h>
#include <string.h>

static int n_checks, n_failed;

void tap_check(bool ok, const char *expr, const char *file, int line)
{
	n_checks++;
	if (!ok) {
		n_failed++;
		printf("not ok %d - %s (%s:%d)\n", n_checks, expr, file, line);
	} else {
		printf("ok %d - %s\n", n_checks, expr);
	}
}

void tap_check_str(const char *got, const char *want, const char *expr,
		   const char *file, int line)
{
	bool ok = got && want && strcmp(got, want) == 0;

	tap_check(ok, expr, file, line);
	if (!ok)
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
}

int tap_done(void)
{
	printf("1..%d\n", n_checks);
	if (n_failed)
		printf("# %d of %d checks failed\n", n_failed, n_checks);
	return n_failed ? 1 : 0;
}

/*
 * Fuzz target for xref_date_parse(): any string gives NULL or a date
 * "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a month 01..12 and a day that
 * exists in that month.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/doc.h"
#include "tests/fuzz/fuzz.h"

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		fuzz_check(s[i] >= '0' && s[i] <= '9', "date digit");
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	char *s = fuzz_strndup(data, size);
	char *d = xref_date_parse(s);

	if (d) {
		size_t n = strlen(d);

		fuzz_check(n == 4 || n == 7 || n == 10, "date length");
		num(d, 4);
		if (n >= 7) {
			int m = num(d + 5, 2);

			fuzz_check(d[4] == '-' && m >= 1 && m <= 12, "month");
			if (n == 10) {
				int y = num(d, 4), day = num(d + 8, 2);
				bool leap = (y % 4 == 0 && y % 100 != 0) ||
					    y % 400 == 0;

				fuzz_check(d[7] == '-' && day >= 1 &&
					   day <= mdays[m - 1] &&
					   (m != 2 || day <= 28 || leap),
					   "day");
			}
		}
	}
	free(d);
	free(s);
	return 0;
}

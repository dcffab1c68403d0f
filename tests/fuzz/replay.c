/*
 * Replays fuzz inputs without libFuzzer: every file named on the command
 * line, or found in a directory named there (sorted, not recursive), is
 * passed once to LLVMFuzzerTestOneInput(). Linked with each target in the
 * ordinary builds, so that the seed corpus and every input a fuzzer once
 * found (kept in the corpus as a regression) run in the normal test suite,
 * under the sanitizers in the asan build. Exit 0 when every input ran.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static int run_file(const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "rb");
	int ret = -1;

	if (!f) {
		fprintf(stderr, "replay: cannot open '%s'\n", path);
		return -1;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			unsigned char *p;

			cap = cap ? cap * 2 : 65536;
			p = realloc(data, cap);
			if (!p)
				goto out;
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		goto out;
	}
	LLVMFuzzerTestOneInput(data, len);
	ret = 0;
out:
	free(data);
	fclose(f);
	return ret;
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	size_t runs = 0;
	int ret = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **list = NULL;
		struct stat st;
		int n;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: cannot open '%s'\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			ret |= run_file(argv[i]) ? 1 : 0;
			runs++;
			continue;
		}
		n = scandir(argv[i], &list, not_hidden, by_name);
		if (n < 0) {
			fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
			return 1;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];

			if (snprintf(path, sizeof(path), "%s/%s", argv[i],
				     list[k]->d_name) < (int)sizeof(path)) {
				ret |= run_file(path) ? 1 : 0;
				runs++;
			}
			free(list[k]);
		}
		free(list);
	}
	printf("replay: %zu inputs\n", runs);
	return runs ? ret : 1;
}

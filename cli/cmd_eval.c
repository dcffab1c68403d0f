/*
 * xref eval: scores recognition against gold data and prints precision,
 * recall and F1.
 *
 * The gold file's extension picks the kind of scoring: .jsonl or .ndjson
 * is JSON Lines (documents with their entity sets, scored per document);
 * anything else is CoNLL-style tokens and tags, scored per mention. Both
 * run the same recogniser as `xref build` (with the same -w watchlists), so
 * the score describes what a user gets. The gold file is read and checked
 * before the recogniser is loaded, so a typo in a gold line fails fast, and
 * the predictions file is written (atomically) before the report, so a
 * failed write leaves nothing half-done on standard output.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "export/eval_report.h"
#include "ingest/eval.h"
#include "ingest/gold.h"

static const char options_help[] =
	"options:\n"
	"      --gold FILE          the gold data (required): JSON Lines when it\n"
	"                           ends in .jsonl or .ndjson, CoNLL otherwise\n"
	"      --predictions OUT    also write what xref predicted to OUT: CoNLL\n"
	"                           `token gold predicted` lines in IOB2 (for\n"
	"                           conlleval), or one JSON object per document\n"
	"      --format F           table (default) or json\n"
	"  -w, --watchlist FILE     recognise with this watchlist too; may be\n"
	"                           repeated\n"
	"  -h, --help               show this help\n"
	"\n"
	"CoNLL gold: first column the token, last column the tag (O, B-TYPE,\n"
	"I-TYPE; IOB1 or IOB2), a blank line between sentences, -DOCSTART-\n"
	"between documents (a file without one is one document). Each document\n"
	"is recognised as its tokens joined by spaces, one sentence per line.\n"
	"Scores are mention-level, exact spans, for PER, ORG and LOC: typed\n"
	"(span and type) and untyped (span). person -> PER; company,\n"
	"government, organization, media -> ORG; country, location -> LOC;\n"
	"target is not scored. A prediction equal to a gold span of another\n"
	"type (MISC) is ignored.\n"
	"\n"
	"JSON Lines gold: {\"id\", \"text\", \"entities\": [{\"name\", \"type\",\n"
	"\"aliases\"}]} per line. Scores are per document, on entity sets: a\n"
	"predicted entity matches a gold one when any of their names are equal\n"
	"ignoring case, accents, punctuation, a leading \"the\" and a possessive.\n"
	"coarse: PER/ORG/LOC as above, targets left out; fine: our eight types\n"
	"(gold location also matches a predicted country); untyped: names only.\n"
	"\n"
	"The table shows precision, recall and F1 in percent; JSON has\n"
	"fractions from 0 to 1 and the tp, fp and fn counts.\n";

enum {
	OPT_GOLD = 256,
	OPT_PREDICTIONS,
	OPT_FORMAT,
};

static const struct option long_options[] = {
	{ "gold", required_argument, NULL, OPT_GOLD },
	{ "predictions", required_argument, NULL, OPT_PREDICTIONS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "watchlist", required_argument, NULL, 'w' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Writes the predictions file; prints the error and returns -1 on
 * failure. */
static int write_predictions(const char *path, const struct xref_conll *conll,
			     const struct xref_eval_spans *spans,
			     const struct xref_gold_docs *docs, bool jsonl)
{
	struct cli_output o;
	int err;

	if (cli_output_open(&o, path))
		return -1;
	err = jsonl ? xref_eval_write_jsonl_predictions(o.fp, docs)
		    : xref_eval_write_conll_predictions(o.fp, conll, spans);
	if (err) {
		cli_error("cannot write '%s': %s", path,
			  *xref_error_last() ? xref_error_last()
					     : xref_status_str(err));
		cli_output_abort(&o);
		return -1;
	}
	return cli_output_commit(&o);
}

int cmd_eval(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *gold_path = NULL, *pred_path = NULL;
	const char **watchlists = NULL;
	size_t n_watchlists = 0;
	bool json = false, jsonl;
	struct xref_recognizer *r = NULL;
	struct xref_conll conll = { 0 };
	struct xref_gold_docs docs = { 0 }, pred_docs = { 0 };
	struct xref_eval_spans spans = { 0 };
	struct xref_eval_scores scores;
	int opt, err, ret = CLI_FAIL;

	watchlists = calloc((size_t)argc + 1, sizeof(*watchlists));
	if (!watchlists) {
		cli_error("out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, ":w:h", long_options, NULL)) !=
	       -1) {
		switch (opt) {
		case OPT_GOLD:
			gold_path = optarg;
			break;
		case OPT_PREDICTIONS:
			pred_path = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json")) {
				json = true;
			} else if (!strcmp(optarg, "table")) {
				json = false;
			} else {
				ret = cli_usage_error(cmd,
					"unknown format '%s' (formats: table, json)",
					optarg);
				goto out;
			}
			break;
		case 'w':
			watchlists[n_watchlists++] = optarg;
			break;
		case 'h':
			ret = cli_help(cmd, options_help);
			goto out;
		default:
			ret = cli_bad_option(cmd, opt, argv);
			goto out;
		}
	}
	if (optind < argc) {
		ret = cli_usage_error(cmd, "unexpected argument '%s'",
				      argv[optind]);
		goto out;
	}
	if (!gold_path || !*gold_path) {
		ret = cli_usage_error(cmd, "--gold FILE is required");
		goto out;
	}
	if (pred_path && (!*pred_path || !strcmp(pred_path, "-"))) {
		ret = cli_usage_error(cmd,
			"--predictions needs a file name (standard output carries the scores)");
		goto out;
	}

	jsonl = xref_gold_is_jsonl(gold_path);
	err = jsonl ? xref_gold_jsonl_read(&docs, gold_path)
		    : xref_conll_read(&conll, gold_path);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (cli_recognizer_load(&r, watchlists, n_watchlists))
		goto out;
	err = jsonl ? xref_eval_jsonl(&scores, pred_path ? &pred_docs : NULL,
				      r, &docs)
		    : xref_eval_conll(&scores, pred_path ? &spans : NULL, r,
				      &conll);
	if (err) {
		cli_error_last(err);
		goto out;
	}
	if (pred_path && write_predictions(pred_path, &conll, &spans,
					   &pred_docs, jsonl))
		goto out;
	err = json ? xref_eval_write_json(stdout, &scores)
		   : xref_eval_write_table(stdout, &scores);
	if (err == XREF_EIO) {
		/* main reports the write error on standard output */
		cli_stdout_failed();
	} else if (err) {
		cli_error_last(err);
		goto out;
	}
	ret = err ? CLI_FAIL : CLI_OK;
out:
	xref_eval_spans_release(&spans);
	xref_gold_docs_release(&pred_docs);
	xref_gold_docs_release(&docs);
	xref_conll_release(&conll);
	xref_recognizer_free(r);
	free(watchlists);
	return ret;
}

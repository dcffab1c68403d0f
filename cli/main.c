/*
 * xref: the command table and dispatch.
 *
 * Like tmux and libgit2's CLI, each subcommand is one declarative entry
 * here plus one exec function in cli/cmd_<name>.c; adding a command means
 * adding a file and a line. Global options are only --help and --version:
 * everything else belongs to a subcommand, so `xref CMD --help` is the one
 * place a command's options are described (`xref help CMD` runs exactly
 * that).
 *
 * Whatever a command returns, main checks that standard output was really
 * written (a full disk or a closed pipe must not look like success).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "graph/graph.h"

#ifndef XREF_VERSION
#define XREF_VERSION "0.0.0"
#endif

static const struct cli_cmd commands[] = {
	{ "build", cmd_build,
	  "Read documents into a fresh case file and write the graph files",
	  "xref build [-o DIR] [-w WATCHLIST]... [--window W] [--top N] [--color type|community] [--quiet] [--strict] [--timings] [FILTERS] INPUT..." },
	{ "ingest", cmd_ingest,
	  "Add documents to a case file incrementally",
	  "xref ingest [--case FILE] [-w WATCHLIST]... [--window W] [--batch N] [--quiet] [--strict] INPUT..." },
	{ "entities", cmd_entities,
	  "List the entities of a case with their aliases",
	  "xref entities [--case FILE] [--type T[,T...]] [--top N] [--since DATE] [--until DATE] [--format table|tsv|csv|json]" },
	{ "centrality", cmd_centrality,
	  "Rank the entities of a case by centrality",
	  "xref centrality [--case FILE] [--metric M[,M...]|all] [--type T[,T...]] [--top N] [--normalized] [--weighted] [--cutoff L | --sample N [--seed S]] [--format table|tsv|csv|json] [FILTERS]" },
	{ "communities", cmd_communities,
	  "Find communities of entities (Leiden) and store them in the case",
	  "xref communities [--case FILE] [--resolution R] [--seed S] [--top N] [--no-save] [--format table|tsv|csv|json] [FILTERS]" },
	{ "evidence", cmd_evidence,
	  "Show the sentences behind a tie, or behind an entity's mentions",
	  "xref evidence [--case FILE] [--since DATE] [--until DATE] [--limit N] [--format table|tsv|csv|json] A [B]" },
	{ "path", cmd_path,
	  "Show how two entities are connected, with a sentence for each hop",
	  "xref path [--case FILE] [--k N] [--since DATE] [--until DATE] [--format table|tsv|csv|json] A B" },
	{ "neighbors", cmd_neighbors,
	  "List the entities around one, up to a number of hops",
	  "xref neighbors [--case FILE] [--depth N] [--type T[,T...]] [--top N] [--since DATE] [--until DATE] [--format table|tsv|csv|json] A" },
	{ "export", cmd_export,
	  "Write the graph for Graphviz, Gephi, Sigma, Cytoscape, Neo4j, spreadsheets or a browser",
	  "xref export [--case FILE] --format FORMAT [-o FILE|DIR] [--top N] [--color type|community] [FILTERS]" },
	{ "eval", cmd_eval,
	  "Score recognition against gold data (CoNLL or JSON Lines)",
	  "xref eval --gold FILE [--predictions OUT] [--format table|json] [-w WATCHLIST]..." },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char main_usage[] =
	"usage: xref [--version] [--help] COMMAND [ARGS]...\n";

static void print_main_help(FILE *out)
{
	size_t i;

	fputs(main_usage, out);
	fputs("\nTurn news articles into an entity cross-reference graph: who is\n"
	      "connected to whom, with the sentence behind every link.\n"
	      "\ncommands:\n", out);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\n'xref help COMMAND' or 'xref COMMAND --help' shows a command's options.\n"
	      "Exit status: 0 success, 1 runtime or data error, 2 usage error.\n",
	      out);
}

static const struct cli_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	cli_error("'%s' is not an xref command; see 'xref --help'", name);
	return CLI_USAGE;
}

static int run(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	const char *name;

	if (argc < 2) {
		fputs(main_usage, stderr);
		fputs("see 'xref --help'\n", stderr);
		return CLI_USAGE;
	}
	name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		print_main_help(stdout);
		return CLI_OK;
	}
	if (!strcmp(name, "--version")) {
		puts("xref " XREF_VERSION);
		return CLI_OK;
	}
	if (!strcmp(name, "help")) {
		char *help_argv[3];

		if (argc < 3) {
			print_main_help(stdout);
			return CLI_OK;
		}
		if (argc > 3) {
			cli_error("too many arguments to 'help'");
			fputs("usage: xref help [COMMAND]\n", stderr);
			return CLI_USAGE;
		}
		cmd = find_command(argv[2]);
		if (!cmd)
			return unknown_command(argv[2]);
		help_argv[0] = argv[2];
		help_argv[1] = (char *)"--help";
		help_argv[2] = NULL;
		cli_getopt_reset();
		return cmd->fn(cmd, 2, help_argv);
	}
	if (name[0] == '-') {
		cli_error("unknown option '%s'", name);
		fputs(main_usage, stderr);
		return CLI_USAGE;
	}
	cmd = find_command(name);
	if (!cmd)
		return unknown_command(name);
	cli_getopt_reset();
	return cmd->fn(cmd, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	int ret;

	xref_graph_setup();
	ret = run(argc, argv);
	/* data on stdout must have arrived; report only the first failure */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_stdout_failed();
		if (cli_stdout_errno())
			cli_error("write error: %s",
				  strerror(cli_stdout_errno()));
		else
			cli_error("write error: cannot write standard output");
		if (ret == CLI_OK)
			ret = CLI_FAIL;
	}
	return ret;
}

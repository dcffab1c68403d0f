#!/bin/sh
# The built-in knowledge tables obey their own rules (format, sorting, no
# collisions between tables): the checkers under tools/knowledge/ say so.
. "$XREF_SOURCE_DIR/tests/cli/lib.inc"

command -v node >/dev/null 2>&1 || skip "node is not installed"

run node "$XREF_SOURCE_DIR/tools/knowledge/check.js" "$XREF_SOURCE_DIR/ingest/knowledge"
expect_exit 0
run node "$XREF_SOURCE_DIR/tools/knowledge/check-orgs.js" "$XREF_SOURCE_DIR/ingest/knowledge"
expect_exit 0
finish

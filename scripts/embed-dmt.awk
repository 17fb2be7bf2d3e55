# embed-dmt.awk - the demo's .dmt files (traces/samples/) as C strings (the Makefile writes
# build/tui/cli/demo_files.c with it): one struct demo_file per file, named
# by its base name, its text line by line.  usage: awk -f embed-dmt.awk FILE...
function quote(s,    out, c, i) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"" || c == "?")
			out = out "\\"
		out = out c
	}
	return out
}

BEGIN {
	print "/* Made by scripts/embed-dmt.awk from traces/samples/: do not edit. */"
	print "#include \"demo.h\""
	print ""
	print "const struct demo_file demo_files[] = {"
}

FNR == 1 {
	if (NR > 1)
		print "\t},"
	name = FILENAME
	sub(/.*\//, "", name)
	printf "\t{ \"%s\",\n", quote(name)
}

{ printf "\t  \"%s\\n\"\n", quote($0) }

END {
	if (NR > 0)
		print "\t},"
	print "\t{ NULL, NULL }"
	print "};"
}

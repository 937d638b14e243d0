{ echo out; echo err >&2; } > f 2>&1
sort f
{ echo out2; echo err2 >&2; } 2>&1 > g | cat
cat g

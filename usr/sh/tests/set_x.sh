$SH -c 'set -x; echo traced; x=1; echo "$x"' 2>&1

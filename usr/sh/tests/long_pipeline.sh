i=0
while [ $i -lt 50 ]; do echo line$i; i=$((i+1)); done | grep 1 | sort -r | head -n 3 | tr l L | cat
printf '%s\n' 3 1 2 | sort | tr '\n' ' ' | cat | cat
echo

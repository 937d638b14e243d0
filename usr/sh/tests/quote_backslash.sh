echo \$HOME \"x\" a\ b
echo a\
b
echo \\ \'
set -- \*
echo "$1"

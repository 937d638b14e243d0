printf 'sourced=yes\nfsrc() { echo "in fsrc $1"; }\n' > lib.sh
. ./lib.sh
echo $sourced
fsrc arg
printf 'echo before-return\nreturn 4\necho never\n' > r.sh
. ./r.sh
echo status $?

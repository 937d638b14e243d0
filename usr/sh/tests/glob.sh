: > a.txt
: > b.txt
: > c.log
: > .hidden
mkdir d
: > d/x.txt
echo *.txt
echo ?.log
echo [ab].txt
echo [!a].txt
echo *.none
echo "*.txt"
echo '*'.txt
echo d/*
echo *
echo .*hidden
x='*.txt'
echo $x
echo "$x"
set -f
echo *.txt

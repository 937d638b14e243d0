p=/usr/local/lib/file.tar.gz
echo ${p#*/}
echo ${p##*/}
echo ${p%.*}
echo ${p%%.*}
echo ${p#/usr}
echo ${p%nomatch}
x=aaa
echo ${x#a} ${x##a} ${x#*a} ${x##*a}
y='a*b'
echo ${y#'a*'} ${y#a\*}
z=abcabc
echo ${z%b*} ${z%%b*}
v=file.c
echo "${v%.c}.o"

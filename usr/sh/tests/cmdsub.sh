echo $(echo one)
echo `echo two`
x=$(echo a; echo b)
echo "$x"
echo $(echo $(echo nested))
echo "$(printf 'trail\n\n\n')".
y=`echo \`echo bq\``
echo $y
echo $(echo "a   b")
echo "$(echo "a   b")"
n=$(false)
echo $?

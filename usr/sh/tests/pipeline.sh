echo hello | cat | cat | cat | tr a-z A-Z
printf 'c\nb\na\nb\n' | sort | grep -v c | head -n 2 | wc -l
echo x | false
echo $?
false | true
echo $?
! true
echo $?
! false | false
echo $?
echo pipe | { read v; echo "got $v"; }
echo a b | while read p q; do echo "$q $p"; done

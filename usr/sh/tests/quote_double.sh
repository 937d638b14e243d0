a=world
echo "hello $a"
echo "dollar \$a backslash \\ quote \" tick \`"
echo "keep \n and \q"
echo "${a}s" "$a"s
echo "$(echo inner "quoted")"
echo "a
b"

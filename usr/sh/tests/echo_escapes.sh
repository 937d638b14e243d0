echo 'a\tb\\c'
echo '\0101\0102'
echo 'x\cy'
echo -n 'n\n'
